import { chromium } from "playwright-core";
const [,, url, out, width, scheme, full, js] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: +width, height: 900 }, colorScheme: scheme || "light", javaScriptEnabled: js !== "nojs" });
const page = await ctx.newPage();
await page.goto(url, { waitUntil: "load" });
await page.screenshot({ path: out, fullPage: full === "full" });
await browser.close();
