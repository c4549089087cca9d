// Search as a reader uses it, in headless Chromium on the bundled site ($OUT/site): a set of
// queries on the English, Urdu and Chinese search pages must give the expected first result; an
// empty and an unmatched query say so; the results area does not shift the layout; the bytes a
// query loads (the index shards and record chunks, after the page) are counted and printed; and a
// visit without JavaScript keeps the query in the address and offers the collection indexes and
// the data dictionary.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const OUT = process.env.OUT;
const root = path.join(OUT, "site");
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml" };
const PORT = Number(process.env.SEARCH_PORT || 8001);

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

// [language prefix, query, expected URL path of the first result]
const QUERIES = [
  ["", "Xi Jinping", "/officials/xi-jinping/"],
  ["", "CPEC", "/topics/cpec/"],
  ["", "gwadr", "/topics/gwadar-port/"],
  // A year: the records dated that year, the most linked first (Bhutto's visit for the
  // boundary agreement, then the agreements of 1963).
  ["", "1963", "/visits/bhutto-china-1963/"],
  ["", "xi jinp", "/officials/xi-jinping/"],
  ["/zh", "习近平", "/zh/officials/xi-jinping/"],
  ["/zh", "瓜达尔", "/zh/topics/gwadar-port/"],
  ["/ur", "شی جن پنگ", "/ur/officials/xi-jinping/"],
  ["/ur", "گوادر", "/ur/topics/gwadar-port/"],
];

const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
let bytes = 0;
page.on("response", async (r) => {
  if (!/\/search\/(index\.json|[id]\/)/.test(r.url())) return;
  try { bytes += (await r.body()).length; } catch { /* navigated away */ }
});

async function firstResult(prefix, q) {
  bytes = 0;
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}${prefix}/search/?q=${encodeURIComponent(q)}`, { waitUntil: "load" });
  await page.waitForSelector("#search-results li a", { timeout: 5000 }).catch(() => {});
  const href = await page.$eval("#search-results li a", (a) => new URL(a.href).pathname).catch(() => null);
  const value = await page.$eval("#q", (i) => i.value);
  return { href, value, ms: Date.now() - started, bytes };
}

for (const [prefix, q, want] of QUERIES) {
  const got = await firstResult(prefix, q);
  check(got.href === want, `search ${prefix || "/en"} "${q}": first result ${got.href}, want ${want}`);
  check(got.value === q, `search ${prefix || "/en"} "${q}": the box shows "${got.value}"`);
  console.log(`search ${prefix || "/en"} "${q}" → ${got.href} (${got.bytes} bytes of index and records)`);
}

// The boundary agreement is among the first three records of 1963; "xi" is a word, not a prefix
// of "Xinjiang".
{
  await firstResult("", "1963");
  const top = await page.$$eval("#search-results li a.card-title", (l) => l.slice(0, 3).map((a) => new URL(a.href).pathname));
  check(top.includes("/agreements/boundary-agreement-1963/"), `search "1963": first three ${top.join(", ")}`);
  await firstResult("", "xi");
  const titles = await page.$$eval("#search-results li", (l) => l.map((li) => li.textContent));
  check(titles.length > 0 && !titles.some((t) => /xinjiang/i.test(t) && !/\bxi\b/i.test(t)), `search "xi" lists records that only say Xinjiang`);
}

// The result has a snippet with the match marked, its collection and date.
{
  await firstResult("", "karakoram highway");
  const hit = await page.$eval("#search-results li", (li) => ({ mark: li.querySelector("mark")?.textContent || "", meta: li.querySelector(".card-meta")?.textContent || "" }));
  check(/karakoram|highway/i.test(hit.mark), `search: no marked match in the first result's snippet: ${JSON.stringify(hit)}`);
  check(hit.meta.length > 0, "search: the first result shows no collection or date");
}

// A word far down a long body is found (the whole body is indexed).
{
  const body = fs.readFileSync(path.join(process.env.REPO, "content/visits/zardari-china-2025.md"), "utf8").split("\n---")[1] || "";
  const words = body.split(/[^A-Za-z]+/).filter((w) => w.length >= 9);
  const late = words[words.length - 1];
  const got = await firstResult("", late);
  check(got.href !== null, `search: "${late}", a word near the end of a body, finds nothing`);
}

// Empty and unmatched queries say so; an unmatched one close to a name suggests it.
{
  await page.goto(`http://127.0.0.1:${PORT}/search/`, { waitUntil: "load" });
  await page.waitForTimeout(200);
  const empty = await page.$eval("#search-status", (s) => s.textContent);
  check(empty.length > 0, "search: an empty query shows no message");
  await firstResult("", "qqqzzzxxy");
  const none = await page.$eval("#search-status", (s) => s.textContent);
  check(none.length > 0, "search: an unmatched query shows no message");
}

// Typing does not shift the layout (cumulative layout shift of the search page while results
// come and go).
{
  await page.goto(`http://127.0.0.1:${PORT}/search/`, { waitUntil: "load" });
  await page.evaluate(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: "layout-shift", buffered: true });
  });
  await page.fill("#q", "Gwadar");
  await page.waitForTimeout(600);
  await page.fill("#q", "zzzzzzq");
  await page.waitForTimeout(600);
  await page.fill("#q", "CPEC");
  await page.waitForTimeout(600);
  const cls = await page.evaluate(() => window.__cls);
  check(cls < 0.1, `search: layout shift ${cls.toFixed(3)} while typing (want < 0.1)`);
  // Keyboard: arrow down from the box reaches the first result.
  await page.focus("#q");
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
  check(focused === "card-title", `search: ArrowDown from the box focuses ${focused}, not the first result`);
}
check(errors.length === 0, `search: console errors: ${errors.join(" | ")}`);
await context.close();

// Without JavaScript: the header's search box sends the query to the search page (a GET, so the
// query is in the address, where a reader can read, bookmark or share it), and the search page
// offers every collection index, the timeline and the data dictionary instead of results. A static
// page cannot read its address without a script, so the box itself stays empty.
{
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const p = await nojs.newPage();
  for (const [prefix, nav] of [["", "/visits/"], ["/ur", "/ur/visits/"], ["/zh", "/zh/visits/"]]) {
    await p.goto(`http://127.0.0.1:${PORT}${prefix}/`, { waitUntil: "load" });
    await p.fill("#q-top", "Gwadar port");
    await Promise.all([p.waitForNavigation({ waitUntil: "load" }), p.press("#q-top", "Enter")]);
    const url = new URL(p.url());
    check(url.pathname === `${prefix}/search/` && url.searchParams.get("q") === "Gwadar port", `search without JavaScript: the header's box leads to ${p.url()}`);
    const offered = await p.$$eval(".search-browse a", (a) => a.map((x) => x.getAttribute("href")));
    for (const want of [nav, `${prefix}/timeline/`, `${prefix}/data/`]) {
      check(offered.includes(want), `search ${prefix || "/en"} without JavaScript offers ${offered.join(", ")}, not ${want}`);
    }
    const shown = await p.$eval(".search-browse", (ul) => ul.getBoundingClientRect().height > 0);
    check(shown, `search ${prefix || "/en"} without JavaScript: the indexes are not shown`);
    // Each offered link leads to a page.
    for (const href of offered) {
      const r = await p.request.get(`http://127.0.0.1:${PORT}${href}`);
      check(r.ok(), `search without JavaScript: ${href} is ${r.status()}`);
    }
    // The form on the search page sends its query to the same page, by GET.
    const form = await p.$eval("#search-form", (f) => ({ action: new URL(f.action).pathname, method: f.method, name: f.querySelector("input").name }));
    check(form.action === `${prefix}/search/` && form.method === "get" && form.name === "q", `search form: ${JSON.stringify(form)}`);
    // The data dictionary is linked from every page's footer, in this language.
    const footer = await p.$$eval("footer a", (a) => a.map((x) => x.getAttribute("href")));
    check(footer.includes(`${prefix}/data/`), `footer ${prefix || "/en"} links ${footer.join(", ")}, not the data dictionary`);
  }
  await nojs.close();
}

await browser.close();
server.close();
console.log(`search: ${checks - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
