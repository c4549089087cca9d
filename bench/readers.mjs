// What a reader loads from a built site (issue 13): serves the output folder $SITE on a local port,
// opens its search page in headless Chromium ($CHROMIUM, playwright-core from tests/browser) and,
// for each query of $QUERIES (separated by "|"), counts the bytes of the search files the query
// fetched (index.json, index shards, record chunks; the page and its assets not included) and the
// time from typing to the first result shown. Prints one line per query and a JSON summary line.
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
const results = [];
for (const q of queries) {
  // A fresh context per query: nothing cached from the one before.
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0, files = 0;
  page.on("response", async (r) => {
    if (!/\/search\/(index\.json|[id]\/)/.test(r.url())) return;
    try { bytes += (await r.body()).length; files++; } catch { /* gone */ }
  });
  await page.goto(`http://127.0.0.1:${port}/search/`, { waitUntil: "load" });
  await page.waitForTimeout(300);
  // The index's boundaries are loaded with the page; time the query itself from here.
  const before = bytes;
  const started = Date.now();
  await page.fill("#q", q);
  await page.waitForSelector("#search-results li a, #search-status:not(:empty)", { timeout: 20000 }).catch(() => {});
  await page.waitForFunction(() => document.querySelector("#search-results li a") || /\S/.test(document.getElementById("search-status").textContent), null, { timeout: 20000 }).catch(() => {});
  const ms = Date.now() - started - 60; // minus the script's typing debounce
  await page.waitForTimeout(300);
  const first = await page.$eval("#search-results li a", (a) => a.textContent).catch(() => null);
  results.push({ query: q, bytes, after_page: bytes - before, files, ms, first });
  console.log(`query "${q}": ${bytes} bytes in ${files} search files (${bytes - before} after the page loaded), first result in ${ms} ms: ${first}`);
  await context.close();
}
await browser.close();
server.close();
console.log(JSON.stringify({ max_bytes: Math.max(...results.map((r) => r.bytes)), max_ms: Math.max(...results.map((r) => r.ms)), results }));
