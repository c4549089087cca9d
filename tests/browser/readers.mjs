// The graph and the timeline as a reader sees them, in headless Chromium on the bundled site
// ($OUT/site): no two labels of the graph overlap (bounding boxes of the SVG text, in English,
// Urdu and Chinese, and in an entry's neighbourhood graph); pointing at a record lights up its
// neighbours; and with JavaScript disabled the timeline's filter by collection and by party, and
// the graph's filter by collection, leave only the chosen kind visible.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const OUT = process.env.OUT;
const root = path.join(OUT, "site");
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml" };
const PORT = Number(process.env.READERS_PORT || 8002);
const BASE = `http://127.0.0.1:${PORT}`;

const server = http.createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(root, p);
  if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) { res.writeHead(404); return res.end("not found"); }
  res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(PORT, "127.0.0.1", resolve));

let failures = 0, checks = 0;
function check(ok, message) { checks++; if (!ok) { failures++; console.log("FAIL " + message); } }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// The boxes of the labels `selector` matches, and every pair of them that overlaps.
async function overlaps(page, selector) {
  return page.evaluate((selector) => {
    const boxes = [...document.querySelectorAll(selector)].map((t) => {
      const r = t.getBoundingClientRect();
      return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, text: t.textContent };
    });
    const bad = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5) bad.push(`${a.text} / ${b.text}`);
      }
    }
    return { count: boxes.length, bad };
  }, selector);
}

// 1. No overlapping labels, with JavaScript (as most readers see the page).
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (const p of ["/graph/", "/ur/graph/", "/zh/graph/"]) {
    await page.goto(BASE + p, { waitUntil: "load" });
    const { count, bad } = await overlaps(page, "svg.graph .n text");
    check(count > 100, `${p}: ${count} graph labels`);
    check(bad.length === 0, `${p}: ${bad.length} overlapping label pairs, e.g. ${bad.slice(0, 3).join("; ")}`);
    // Lane titles and axis labels are not under record labels either (at the start of the scroll).
    const all = await overlaps(page, "svg.graph .n text, svg.graph .axis text");
    check(all.bad.length === 0, `${p}: axis labels overlap record labels: ${all.bad.slice(0, 3).join("; ")}`);
  }
  for (const p of ["/visits/zardari-china-2025/", "/officials/xi-jinping/", "/ur/visits/zardari-china-2025/"]) {
    await page.goto(BASE + p, { waitUntil: "load" });
    const { count, bad } = await overlaps(page, "svg.neighbours text");
    check(count > 2, `${p}: ${count} neighbourhood labels`);
    check(bad.length === 0, `${p}: overlapping neighbourhood labels: ${bad.join("; ")}`);
    const links = await page.locator("svg.neighbours a").count();
    check(links > 0 && links <= 12, `${p}: ${links} neighbours (at most 12)`);
  }
  // Pointing at a record lights up it and its neighbours, and dims the rest.
  await page.goto(BASE + "/graph/", { waitUntil: "load" });
  const node = page.locator("svg.graph a.n").first();
  await node.scrollIntoViewIfNeeded();
  await node.hover();
  const lit = await page.evaluate(() => ({
    hl: document.querySelector("svg.graph").classList.contains("hl"),
    nodes: document.querySelectorAll("svg.graph a.n.on").length,
    edges: document.querySelectorAll("svg.graph path.on").length,
  }));
  check(lit.hl && lit.nodes > 1 && lit.edges === lit.nodes - 1, `hover lights neighbours: ${JSON.stringify(lit)}`);
  // The graph's links are named links, reachable from the keyboard (no role=img around them).
  const roles = await page.evaluate(() => document.querySelectorAll("[role=img] a").length);
  check(roles === 0, `${roles} links inside role=img`);
  await context.close();
}

// 2. The filters without JavaScript.
{
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + "/timeline/", { waitUntil: "load" });
  const kinds = await page.locator(".tl-filter input[type=checkbox]").evaluateAll((xs) => xs.map((x) => x.id));
  check(kinds.length >= 4, `timeline filter offers ${kinds.length} collections`);
  const before = await page.locator(".ti:visible").count();
  // Keep only the first collection (visits): untick the others by their labels, as a reader would.
  const keep = kinds[0];
  for (const id of kinds.slice(1)) await page.locator(`label:has(#${id})`).click();
  const visible = await page.locator(".ti:visible").evaluateAll((xs) => xs.map((x) => x.className));
  const kept = "k" + keep.slice(2);
  check(visible.length > 0 && visible.length < before, `timeline filter: ${visible.length} of ${before} visible`);
  check(visible.every((c) => c.split(" ").includes(kept)), `timeline filter leaves only ${kept}: ${[...new Set(visible)].slice(0, 5).join(", ")}`);
  // Then one party: only that party's records of the kept collection.
  const parties = await page.locator(".tl-filter input[type=radio]").evaluateAll((xs) => xs.map((x) => x.id).filter((id) => id !== "td-any"));
  check(parties.length >= 2, `timeline filter offers ${parties.length} parties`);
  await page.locator(`label:has(#${parties[0]})`).click();
  const party = "d" + parties[0].slice(2);
  const byParty = await page.locator(".ti:visible").evaluateAll((xs) => xs.map((x) => x.className));
  check(byParty.length > 0 && byParty.length < visible.length, `party filter: ${byParty.length} of ${visible.length}`);
  check(byParty.every((c) => c.split(" ").includes(party) && c.split(" ").includes(kept)), `party filter leaves only ${kept} ${party}`);
  // Empty years are on the page as empty rows.
  check(await page.locator(".yr.empty").count() > 0, "empty years shown");

  await page.goto(BASE + "/graph/", { waitUntil: "load" });
  const lanes = await page.locator(".graph-page .filter input").evaluateAll((xs) => xs.map((x) => x.id));
  for (const id of lanes.slice(1)) await page.locator(`label:has(#${id})`).click();
  const shown = await page.locator("svg.graph a.n").evaluateAll((xs) => xs.filter((x) => getComputedStyle(x).display !== "none").map((x) => x.getAttribute("class")));
  const lane = "n" + lanes[0].slice(2);
  check(shown.length > 0 && shown.every((c) => c.split(" ").includes(lane)), `graph filter leaves only ${lane}: ${shown.length}`);
  await context.close();
}

await browser.close();
server.close();
console.log(`readers checks: ${checks - failures}/${checks} passed`);
process.exit(failures ? 1 : 0);
