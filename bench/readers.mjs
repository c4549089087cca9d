// What a reader loads from a built site (issue 13): serves the output folder $SITE on a local port,
// opens its search page in headless Chromium ($CHROMIUM, playwright-core from tests/browser) and,
// for each query of $QUERIES (separated by "|"), pasted whole and typed a key at a time, counts the
// bytes of the search files the query fetched (index.json, index shards, record chunks; the page
// and its assets not included; from the page's resource timing) and the time from the last key to
// the first result shown, measured in the page (with DETAIL=1, where that time went: each file's
// fetch and parse). Prints one line per query and a JSON summary line.
import { createRequire } from "node:module";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(path.join(process.env.BROWSER_DIR, "package.json"));
const { chromium } = require("playwright-core");
const root = path.resolve(process.env.SITE);
const port = Number(process.env.PORT || 18532);
const queries = (process.env.QUERIES || "").split("|").filter(Boolean);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml" };

const server = http.createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(root, p);
  if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
// Timed in the page itself: from the input event of the last keystroke (captured before the search
// script sees it) to the moment the script has put that query's first results (or its "nothing
// matches") in the page, which it marks with data-answered on the list; so neither the protocol's
// round trips nor the harness's polling count.
const TIMING = `
  performance.setResourceTimingBufferSize(2000);
  document.addEventListener("input", (e) => { window.__typed = performance.now(); window.__answered = null; window.__filled = null; }, true);
  new MutationObserver(() => {
    const list = document.getElementById("search-results"), input = document.getElementById("q");
    if (window.__typed == null || window.__answered != null || !list || !input) return;
    if (list.getAttribute("data-answered") === input.value) window.__answered = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-answered"] });
  // And when the last result of the answered query's first page was added (the page complete).
  new MutationObserver(() => {
    if (window.__answered != null) window.__filled = performance.now();
  }).observe(document, { subtree: true, childList: true });
  // Where the time goes: each search file's fetch (start, response headers, body) and JSON parse,
  // as times since the last key.
  window.__steps = [];
  const realFetch = window.fetch;
  window.fetch = function (url, ...rest) {
    const step = { url: String(url).split("/search/").pop(), start: performance.now() };
    window.__steps.push(step);
    return realFetch.call(this, url, ...rest).then((r) => { step.headers = performance.now(); return r; });
  };
  const realJson = Response.prototype.json;
  Response.prototype.json = function () {
    const step = window.__steps.find((s) => s.url === this.url.split("/search/").pop() && s.parsed == null);
    const t = performance.now();
    return realJson.call(this).then((v) => { if (step) { step.body = t; step.parsed = performance.now(); } return v; });
  };
`;
const results = [];
for (const q of queries) {
  for (const mode of ["pasted", "typed"]) {
    // A fresh context per query: nothing cached from the one before.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(TIMING);
    // The search files the page fetched and their bytes, from its resource timing (uncompressed:
    // the server does not compress). Asking the protocol for each response's body instead lost
    // bodies silently and counted a third of the bytes of some queries.
    const fetched = () => page.evaluate(() => {
      const search = performance.getEntriesByType("resource").filter((e) => /\/search\/(index\.json|[id]\/)/.test(e.name));
      return { bytes: search.reduce((n, e) => n + e.decodedBodySize, 0), files: search.length };
    });
    await page.goto(`http://127.0.0.1:${port}/search/`, { waitUntil: "load" });
    // Loaded: the page, its script and the index's boundaries (index.json, fetched at once).
    await page.waitForTimeout(500);
    const before = (await fetched()).bytes;
    // "pasted": the whole query in one input event; "typed": a key at a time, 120 ms apart,
    // timed from the last key.
    if (mode === "pasted") await page.fill("#q", q);
    else await page.type("#q", q, { delay: 120 });
    const ms = await page.waitForFunction(() => window.__answered != null && window.__answered - window.__typed, null, { timeout: 20000 })
      .then((h) => h.jsonValue()).catch(() => null);
    // Time for the rest of the first page's records to come (counted in the bytes).
    await page.waitForTimeout(1000);
    const { bytes, files } = await fetched();
    const first = await page.$eval("#search-results li a", (a) => a.textContent).catch(() => null);
    const filled = await page.evaluate(() => window.__filled == null ? null : Math.round(window.__filled - window.__typed));
    const r = { query: q, mode, bytes, after_page: bytes - before, files, ms: ms == null ? null : Math.round(ms), page_ms: filled, first };
    results.push(r);
    console.log(`query "${q}" ${mode}: ${bytes} bytes in ${files} search files (${bytes - before} after the page loaded), first result ${r.ms} ms after the last key (the first page complete at ${filled} ms): ${first}`);
    if (process.env.DETAIL) {
      // The files fetched for the last key, up to the answer: ms after the key when the fetch
      // started, its headers came, its body was read and parsed.
      // With the resource timing of each: connection set up (c) or reused, request sent, first
      // byte, last byte.
      const steps = await page.evaluate(() => window.__steps.filter((s) => s.start >= window.__typed).map((s) => {
        const t = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/search/" + s.url)) || {};
        const conn = t.connectEnd > t.connectStart ? "c" : "";
        return [s.url + conn, s.start, t.requestStart, t.responseStart, t.responseEnd, s.parsed]
          .map((x) => typeof x === "number" ? Math.round(x - window.__typed) : (x ?? "-")).join(" ");
      }));
      console.log(`    #fetches (file fetch() request first-byte last-byte parsed; ms after the key): ${steps.join(" | ")}`);
      const answered = await page.evaluate(() => Math.round(window.__answered - window.__typed));
      console.log(`    #answered ${answered}`);
    }
    await context.close();
  }
}
await browser.close();
server.close();
const ms = results.map((r) => r.ms).filter((x) => x != null).sort((a, b) => a - b);
const median = ms.length ? ms[Math.floor(ms.length / 2)] : null;
console.log(JSON.stringify({ max_bytes: Math.max(...results.map((r) => r.bytes)), max_ms: ms.length ? ms[ms.length - 1] : null, median_ms: median, unanswered: results.filter((r) => r.ms == null).length, results }));
