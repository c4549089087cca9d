// Opens built pages in headless Chromium and checks what a reader would notice: script injected
// by content never runs, pages fit a 360 px phone, nothing is fetched from another host, no console
// errors, search finds records, Urdu pages are right to left. Screenshots go to $OUT/shots/.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const OUT = process.env.OUT;
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml" };

function serve(root, port) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(root, p);
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404, { "Content-Type": TYPES[".html"] }); return res.end(fs.readFileSync(path.join(root, "404.html"))); }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

function htmlPages(root) {
  const pages = [];
  (function walk(dir) {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".html")) pages.push("/" + path.relative(root, full).replace(/index\.html$/, ""));
    }
  })(root);
  return pages;
}

let failures = 0;
let checks = 0;
function check(ok, message) {
  checks++;
  if (!ok) { failures++; console.log("FAIL " + message); }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function openPage(width, height) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const events = { dialogs: 0, errors: [], foreign: [] };
  page.on("dialog", async (d) => { events.dialogs++; await d.dismiss(); });
  page.on("console", (m) => { if (m.type() === "error") events.errors.push(m.text()); });
  page.on("pageerror", (e) => events.errors.push(String(e)));
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "127.0.0.1") { events.foreign.push(url.href); return route.abort(); }
    return route.continue();
  });
  return { context, page, events };
}

// 1. XSS: no page of the hostile fixture runs any injected script.
{
  const root = path.join(OUT, "xss");
  const server = await serve(root, 8000);
  const { context, page, events } = await openPage(1280, 900);
  for (const p of htmlPages(root)) {
    await page.goto("http://127.0.0.1:8000" + p, { waitUntil: "load" });
    await page.waitForTimeout(150);
    // Hover and click everything a reader could touch.
    for (const el of await page.$$("a, img, div, b, details, button")) {
      await el.hover({ timeout: 300 }).catch(() => {});
    }
    const state = await page.evaluate(() => ({
      xss: window.__xss === 1,
      scripts: [...document.querySelectorAll("script")].filter((s) => s.type !== "application/ld+json").length,
      badHrefs: [...document.querySelectorAll("[href],[src],[action],[formaction]")]
        .map((e) => (e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action") || e.getAttribute("formaction") || "").replace(/[\s\u0000-\u001f]/g, "").toLowerCase())
        .filter((u) => u.startsWith("javascript:") || u.startsWith("vbscript:") || u.startsWith("data:text/html")),
      handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
    }));
    for (const link of await page.$$("a[href]")) {
      const href = await link.getAttribute("href");
      if (href && !href.startsWith("http") && !href.startsWith("/") && !href.startsWith("#")) {
        await link.click({ timeout: 500 }).catch(() => {});
        await page.goto("http://127.0.0.1:8000" + p, { waitUntil: "load" });
      }
    }
    const after = await page.evaluate(() => window.__xss === 1);
    check(!state.xss && !after, `xss: injected script ran on ${p}`);
    check(state.badHrefs.length === 0, `xss: unsafe URL kept on ${p}: ${state.badHrefs.join(", ")}`);
    check(state.handlers === 0, `xss: ${state.handlers} elements with on* handlers on ${p}`);
    check(state.scripts <= 1, `xss: ${state.scripts} script elements on ${p} (only the theme's own search script is allowed)`);
  }
  check(events.dialogs === 0, `xss: ${events.dialogs} dialogs opened`);
  await context.close();
  server.close();
}

// 2. The bundled site, as a reader sees it on a phone and a desktop.
{
  const root = path.join(OUT, "site");
  const server = await serve(root, 8000);
  fs.mkdirSync(path.join(OUT, "shots"), { recursive: true });
  const pages = ["/", "/visits/zardari-china-2025/", "/officials/xi-jinping/", "/visits/", "/topics/cpec/", "/timeline/", "/graph/", "/numbers/", "/ur/numbers/", "/about/", "/ur/", "/ur/visits/zardari-china-2025/", "/zh/visits/zardari-china-2025/", "/404.html"];
  for (const [width, height] of [[360, 780], [1280, 900]]) {
    const { context, page, events } = await openPage(width, height);
    for (const p of pages) {
      const response = await page.goto("http://127.0.0.1:8000" + p, { waitUntil: "load" });
      check(response && response.status() === 200, `site: ${p} answered ${response && response.status()}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      check(overflow <= 1, `site: ${p} is ${overflow}px wider than a ${width}px screen`);
      const name = (p.replace(/\//g, "_").replace(/^_|_$/g, "") || "home") + `-${width}.png`;
      await page.screenshot({ path: path.join(OUT, "shots", name), fullPage: false });
    }
    const dir = await (async () => { await page.goto("http://127.0.0.1:8000/ur/"); return page.evaluate(() => document.documentElement.dir); })();
    check(dir === "rtl", `site: /ur/ has dir=${dir}`);
    await page.goto("http://127.0.0.1:8000/search/?q=Gwadar", { waitUntil: "load" });
    await page.waitForSelector("#search-results li", { timeout: 5000 }).catch(() => {});
    const hits = await page.$$eval("#search-results li", (l) => l.length);
    check(hits > 0, `site: search for Gwadar found ${hits} results at ${width}px`);
    await page.goto("http://127.0.0.1:8000/zh/search/?q=" + encodeURIComponent("习近平"), { waitUntil: "load" });
    await page.waitForTimeout(500);
    check(events.foreign.length === 0, `site: requests to other hosts: ${events.foreign.join(", ")}`);
    check(events.errors.length === 0, `site: console errors: ${events.errors.join(" | ")}`);
    await context.close();
  }
  server.close();
}

await browser.close();
console.log(`${checks - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
