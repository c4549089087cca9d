// Screenshots of the bundled site for docs/screenshots/: home, the showcase visit, an official,
// the timeline, the graph, the numbers, an Urdu and a Chinese page, at 360 and 1280 px, light and
// dark, the first screen of each. Serve a build first (e.g. `bilat build --output /tmp/site` and
// `python3 -m http.server -d /tmp/site 8000`), then:
//   SITE=http://127.0.0.1:8000 OUT=docs/screenshots CHROMIUM=$(command -v chromium) node tests/browser/screenshots.mjs
// The PNGs are then reduced to 32 colours: `pngquant --force --ext .png --speed 1 32 docs/screenshots/*.png`.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const pages = {
  home: "/",
  visit: "/visits/zardari-china-2025/",
  official: "/officials/xi-jinping/",
  timeline: "/timeline/",
  graph: "/graph/",
  numbers: "/numbers/",
  urdu: "/ur/agreements/cpec-launch-package-2015/",
  chinese: "/zh/visits/zardari-china-2025/",
};
const out = process.env.OUT;
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
for (const [width, height] of [[360, 780], [1280, 900]]) {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
    const page = await context.newPage();
    for (const [name, p] of Object.entries(pages)) {
      await page.goto(process.env.SITE + p, { waitUntil: "load" });
      // The graph's shot starts at the legend's last lines, so the picture shows, and is cropped
      // to keep the PNG of its many thin lines near 100 KB.
      let clip = { x: 0, y: 0, width, height };
      if (name === "graph") {
        const top = await page.evaluate(() => document.querySelector(".graph-frame").getBoundingClientRect().top + window.scrollY);
        clip = { x: 0, y: Math.max(0, top - 160), width, height: Math.min(height, 700) };
      }
      await page.screenshot({ path: path.join(out, `${name}-${width}-${scheme}.png`), clip, fullPage: name === "graph" });
    }
    await context.close();
  }
}
await browser.close();
