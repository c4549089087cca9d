// Opens built pages in headless Chromium and checks what a reader would notice: script injected
// by content never runs, pages fit a 360 px phone, nothing is fetched from another host, no console
// errors, search finds records, Urdu pages are right to left, English text on an Urdu page is
// marked English and left to right, the header's language switcher leads to the same record, and
// axe-core finds no serious or critical violation on any kind of page, light or dark. Then runs `bilat serve` ($BILAT) on a
// copy of the valid fixture ($REPO/tests/fixtures/valid), breaks an entry while a page is open and
// checks the error overlay, and fixes it again. Screenshots go to $OUT/shots/.
import { chromium } from "playwright-core";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

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

// 2b. Languages, landmarks and axe-core on every kind of page, light and dark.
{
  const root = path.join(OUT, "site");
  const server = await serve(root, 8000);
  const base = "http://127.0.0.1:8000";
  const { context, page, events } = await openPage(1280, 900);

  // English text on an Urdu page (an infobox value the translation does not set, the sources of
  // the English original) is marked English and runs left to right inside the right-to-left page.
  await page.goto(base + "/ur/agreements/cpec-launch-package-2015/", { waitUntil: "load" });
  const fallback = await page.evaluate(() => {
    const info = (el) => el && { lang: el.closest("[lang]")?.getAttribute("lang"), dir: getComputedStyle(el).direction, own: el.getAttribute("dir"), text: el.textContent.trim() };
    const place = [...document.querySelectorAll(".infobox [lang]")].find((el) => /^[A-Za-z]/.test(el.textContent.trim()));
    return { page: document.documentElement.dir, place: info(place), source: info(document.querySelector(".sources ol")) };
  });
  check(fallback.page === "rtl", `languages: the Urdu page is ${fallback.page}`);
  for (const [what, el] of [["infobox value", fallback.place], ["source", fallback.source]]) {
    check(el && el.lang === "en" && el.own === "ltr" && el.dir === "ltr", `languages: an English ${what} on an Urdu page is ${JSON.stringify(el)}, not lang="en" dir="ltr"`);
  }

  // The header's language switcher leads to the same record in the other language.
  for (const [from, lang, to] of [["/ur/visits/zardari-china-2025/", "en", "/visits/zardari-china-2025/"], ["/visits/zardari-china-2025/", "zh", "/zh/visits/zardari-china-2025/"], ["/zh/officials/xi-jinping/", "ur", "/ur/officials/xi-jinping/"]]) {
    await page.goto(base + from, { waitUntil: "load" });
    const link = page.locator(`header .langs a[hreflang="${lang}"]`);
    check(await link.isVisible(), `languages: no visible ${lang} link in the header of ${from}`);
    await Promise.all([page.waitForURL(base + to, { timeout: 5000 }).catch(() => {}), link.click()]);
    const at = new URL(page.url()).pathname;
    const htmlLang = await page.evaluate(() => document.documentElement.lang);
    check(at === to && htmlLang === lang, `languages: the ${lang} link of ${from} led to ${at} (${htmlLang}), not ${to}`);
  }

  // One page of every kind, in light and dark: what the Nu HTML Checker and axe-core would flag.
  const kinds = { home: "/", entry: "/visits/zardari-china-2025/", official: "/officials/xi-jinping/", collection: "/visits/", timeline: "/timeline/", graph: "/graph/", numbers: "/numbers/", search: "/search/", "404": "/404.html", urdu: "/ur/agreements/cpec-launch-package-2015/", chinese: "/zh/visits/zardari-china-2025/", page: "/about/" };
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [kind, p] of Object.entries(kinds)) {
      await page.goto(base + p, { waitUntil: "load" });
      const html = await page.evaluate(() => {
        const name = (el) => (el.getAttribute("aria-label") || (el.getAttribute("aria-labelledby") || "").split(/\s+/).map((id) => document.getElementById(id)?.textContent || "").join(" ")).trim();
        const roles = { nav: "navigation", aside: "complementary", main: "main", search: "search" };
        const landmarks = [...document.querySelectorAll("nav, aside, main, search, form[role=search], [role=navigation], [role=search], [role=complementary], [role=region]")]
          .map((el) => ({ role: el.getAttribute("role") || roles[el.localName] || el.localName, name: name(el) }));
        const seen = new Map();
        for (const l of landmarks) seen.set(l.role + "|" + l.name, (seen.get(l.role + "|" + l.name) || 0) + 1);
        return {
          emptyActions: [...document.querySelectorAll("form")].filter((f) => f.hasAttribute("action") && f.getAttribute("action").trim() === "").length,
          duplicates: [...seen].filter(([, n]) => n > 1).map(([k]) => k),
          unnamed: landmarks.filter((l) => ["navigation", "search", "complementary", "region"].includes(l.role) && landmarks.filter((m) => m.role === l.role).length > 1 && !l.name).map((l) => l.role),
          emptyJsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')].filter((s) => ["", "{}"].includes(s.textContent.trim())).length,
        };
      });
      check(html.emptyActions === 0, `html (${kind}): ${html.emptyActions} forms with an empty action on ${p}`);
      check(html.duplicates.length === 0 && html.unnamed.length === 0, `html (${kind}): landmarks not uniquely named on ${p}: ${[...html.duplicates, ...html.unnamed].join(", ")}`);
      check(html.emptyJsonLd === 0, `html (${kind}): empty JSON-LD on ${p}`);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")})`);
      });
      check(violations.length === 0, `axe (${kind}, ${scheme}): ${p}: ${violations.join("; ")}`);
    }
  }
  check(events.foreign.length === 0, `axe: requests to other hosts: ${events.foreign.join(", ")}`);
  check(events.errors.length === 0, `axe: console errors: ${events.errors.join(" | ")}`);
  await context.close();
  server.close();
}

// 3. `bilat serve` shows errors where people look: over the open page, gone when fixed.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

// Start `bilat serve` on a free port; resolves once it says it is serving (watches in place).
async function startServe(root) {
  const port = await freePort();
  const child = spawn(process.env.BILAT, ["serve", "--root", root, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let log = "";
  child.stderr.on("data", (d) => { log += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("bilat serve did not start:\n" + log)), 60000);
    child.stdout.on("data", (d) => { log += d; if (log.includes("serving ")) { clearTimeout(timer); resolve(); } });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`bilat serve exited ${code}:\n${log}`)); });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

function stopServe(server) {
  server.child.removeAllListeners("exit");
  server.child.kill();
}

// WCAG contrast ratio of two computed `rgb(...)` colours.
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

async function overlayState(page) {
  return page.evaluate(() => {
    const o = document.getElementById("bilat-errors");
    if (!o) return null;
    const pre = o.querySelector("pre");
    const style = getComputedStyle(o);
    return {
      role: o.getAttribute("role"),
      label: document.getElementById(o.getAttribute("aria-labelledby"))?.textContent || "",
      focused: document.activeElement === o,
      visible: o.getBoundingClientRect().height > 0 && style.visibility !== "hidden",
      text: o.innerText,
      fg: style.color,
      bg: style.backgroundColor,
      preFg: pre ? getComputedStyle(pre).color : style.color,
      preBg: pre ? getComputedStyle(pre).backgroundColor : style.backgroundColor,
    };
  });
}

{
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bilat-serve-overlay-"));
  const root = path.join(tmp, "site");
  fs.cpSync(path.join(process.env.REPO, "tests/fixtures/valid"), root, { recursive: true });
  const visit = path.join(root, "content/visits/amina-khan-borduria-2024.md");
  const good = fs.readFileSync(visit, "utf8");
  const where = "content/visits/amina-khan-borduria-2024.md:6:10";
  check(good.split("\n")[5] === "visitor: amina-khan", "serve: the fixture's visitor is on line 6");

  const server = await startServe(root);
  for (const scheme of ["light", "dark"]) {
    const { context, page, events } = await openPage(1280, 900);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url + "/visits/amina-khan-borduria-2024/", { waitUntil: "load" });
    await page.waitForTimeout(300);
    check((await overlayState(page)) === null, `serve (${scheme}): an overlay shows on a site without errors`);

    // Break the entry: an unknown reference.
    fs.writeFileSync(visit, good.replace("visitor: amina-khan", "visitor: amina-kahn"));
    const shown = await page.waitForSelector("#bilat-errors", { timeout: 20000 }).then(() => true, () => false);
    check(shown, `serve (${scheme}): no overlay appeared after breaking the entry`);
    const o = await overlayState(page);
    if (o) {
      check(o.role === "alertdialog", `serve (${scheme}): overlay role is ${o.role}`);
      check(o.label.includes("error"), `serve (${scheme}): overlay is labelled "${o.label}"`);
      check(o.focused, `serve (${scheme}): the overlay does not take the focus`);
      check(o.visible, `serve (${scheme}): the overlay is not visible`);
      check(o.text.includes(where), `serve (${scheme}): overlay does not name ${where}:\n${o.text}`);
      check(o.text.includes("amina-kahn"), `serve (${scheme}): overlay does not quote the source line`);
      check(o.text.includes("help:"), `serve (${scheme}): overlay has no help`);
      check(contrast(o.fg, o.bg) >= 7, `serve (${scheme}): overlay text contrast ${contrast(o.fg, o.bg).toFixed(2)} (${o.fg} on ${o.bg})`);
      check(contrast(o.preFg, o.preBg) >= 7, `serve (${scheme}): snippet contrast ${contrast(o.preFg, o.preBg).toFixed(2)}`);
      const dark = contrast(o.bg, "rgb(0, 0, 0)") < contrast(o.bg, "rgb(255, 255, 255)");
      check(dark === (scheme === "dark"), `serve (${scheme}): overlay background ${o.bg} does not follow the colour scheme`);
    }
    await page.screenshot({ path: path.join(OUT, "shots", `serve-overlay-${scheme}.png`) });

    // Fix it: the page reloads and the overlay is gone.
    const reloaded = page.waitForEvent("load", { timeout: 20000 }).then(() => true, () => false);
    fs.writeFileSync(visit, good);
    check(await reloaded, `serve (${scheme}): the page did not reload after the fix`);
    const gone = await page.waitForSelector("#bilat-errors", { state: "detached", timeout: 20000 }).then(() => true, () => false);
    check(gone, `serve (${scheme}): the overlay stayed after the fix`);
    check((await page.title()).includes("Amina"), `serve (${scheme}): the fixed page is not the entry: ${await page.title()}`);
    check(events.errors.length === 0, `serve (${scheme}): console errors: ${events.errors.join(" | ")}`);
    await context.close();
  }
  stopServe(server);

  // A site broken at start: every address shows the overlay; fixed, the page turns into the site.
  fs.writeFileSync(visit, good.replace("visitor: amina-khan", "visitor: amina-kahn"));
  const broken = await startServe(root);
  {
    const { context, page } = await openPage(1280, 900);
    const response = await page.goto(broken.url + "/officials/amina-khan/", { waitUntil: "load" });
    check(response && response.status() === 500, `serve (broken at start): answered ${response && response.status()}`);
    const o = await overlayState(page);
    check(o !== null && o.text.includes(where), `serve (broken at start): the page does not show the overlay with ${where}`);
    const reloaded = page.waitForEvent("load", { timeout: 20000 }).then(() => true, () => false);
    fs.writeFileSync(visit, good);
    check(await reloaded, "serve (broken at start): the page did not reload after the fix");
    await page.waitForLoadState("load");
    check((await overlayState(page)) === null, "serve (broken at start): the overlay stayed after the fix");
    check((await page.title()).includes("Amina"), `serve (broken at start): the fixed page is ${await page.title()}`);
    await context.close();
  }
  stopServe(broken);
  fs.rmSync(tmp, { recursive: true, force: true });
}

await browser.close();
console.log(`${checks - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
