// Largest contentful paint does not wait for the app (issue 11): on a phone the wasm arrives
// seconds after the pre-rendered page is readable, so if the app renders any text or image larger
// than what the first paint showed, the page's LCP becomes the app's arrival. With the wasm held
// back until the static page is painted, the browser must report no larger paint after take-over.
import { test, expect, siteIndex, ready } from "./fixtures.js";

const first = siteIndex().scenarios[0];
const pages = ["./", `scenarios/${first.pack}/${first.slug}/`, "settings/", "progress/"];

for (const path of pages) {
  test(`${path}: the largest paint is the pre-rendered page's, not the app's`, async ({ page }) => {
    await page.addInitScript(() => {
      window.__lcp = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__lcp.push({ at: e.startTime, size: e.size, text: (e.element?.textContent ?? "").slice(0, 80) });
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    let release;
    const held = new Promise((r) => (release = r));
    await page.route("**/*_bg.wasm", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(path);
    await expect.poll(() => page.evaluate(() => window.__lcp.length)).toBeGreaterThan(0);
    // Two frames: whatever the static page paints is reported before the app may start.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const releasedAt = await page.evaluate(() => performance.now());
    release();
    await ready(page);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
    const later = await page.evaluate((t) => window.__lcp.filter((e) => e.at > t), releasedAt);
    expect(later, "the app painted something larger than the pre-rendered page").toEqual([]);
  });
}
