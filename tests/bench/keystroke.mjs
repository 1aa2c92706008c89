// Keystroke-to-paint latency while typing into a 5,000-word answer with autosave on, in this
// machine's headless Chromium against a release build. A measurement, not a test: it prints
// numbers and never fails on them.
//
//   node tests/bench/keystroke.mjs <dist folder>
//
// Each keystroke's latency is from the keydown event to the first point after the next frame has
// been painted (requestAnimationFrame, then a macrotask), so it includes waiting for the next
// frame. The same typing into a plain <textarea> holding the same text, with no app at all, gives
// the browser's own floor on this machine; the app's share is the time its input handler runs.
// Typing comes in bursts separated by pauses longer than the autosave delay, so saves of the
// 5,000-word draft run between bursts, and the first keystroke after each pause follows a save.
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../e2e/package.json"));
const { chromium } = require("@playwright/test");
const dist = resolve(process.argv[2] ?? join(here, "../../dist"));
const port = 4199;
const server = spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", dist, "--prefix", "/bench/", "--port", String(port)], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 500));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const index = await (await fetch(`http://127.0.0.1:${port}/bench/data/index.json`)).json();
  const s = index.scenarios[0];
  await page.addInitScript(() => {
    window.__latencies = [];
    window.__saves = [];
    window.__handler = [];
    // Capture on document runs before the text area's own listener, bubbling on window after it.
    document.addEventListener("input", () => (window.__inputStart = performance.now()), true);
    window.addEventListener("input", () => window.__handler.push(performance.now() - window.__inputStart));
    document.addEventListener(
      "keydown",
      (e) => {
        const start = e.timeStamp;
        requestAnimationFrame(() => setTimeout(() => window.__latencies.push(performance.now() - start), 0));
      },
      true,
    );
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      const t = performance.now();
      const r = setItem.call(this, k, v);
      if (k.endsWith(":draft")) window.__saves.push({ ms: performance.now() - t, chars: v.length });
      return r;
    };
  });
  await page.goto(`http://127.0.0.1:${port}/bench/scenarios/${s.pack}/${s.slug}/`);
  await page.locator("#app[data-ready]").waitFor({ timeout: 30000 });
  const words = Array.from({ length: 5000 }, (_, i) => ["incident", "rollback", "latency", "the", "config", "because", "p99", "region"][i % 8]).join(" ");
  await page.getByLabel("Reasoning").fill(words);
  await page.getByLabel("Reasoning").press("End");
  await page.waitForTimeout(1000);
  const typeBursts = async (p) => {
    await p.evaluate(() => {
      window.__latencies.length = 0;
      window.__handler.length = 0;
    });
    for (let b = 0; b < 10; b++) {
      await p.keyboard.type(" more words typed here xxxxxxx", { delay: 35 });
      await p.waitForTimeout(600);
    }
  };
  await typeBursts(page);
  const { latencies, handler, saves, count } = await page.evaluate(() => ({
    latencies: window.__latencies,
    handler: window.__handler,
    saves: window.__saves,
    count: document.getElementById("reasoning").value.split(/\s+/).filter(Boolean).length,
  }));

  // The browser's floor: the same text and typing in a bare text area, same size and font.
  const bare = await browser.newPage();
  await bare.setContent(`<textarea id="t" rows="8" style="width:46rem;font:17px system-ui;line-height:1.5;padding:.6rem .75rem"></textarea>`);
  await bare.evaluate(() => {
    window.__latencies = [];
    window.__handler = [];
    document.addEventListener("keydown", (e) => {
      const start = e.timeStamp;
      requestAnimationFrame(() => setTimeout(() => window.__latencies.push(performance.now() - start), 0));
    }, true);
  });
  await bare.locator("#t").fill(words);
  await bare.locator("#t").press("End");
  await typeBursts(bare);
  const floor = await bare.evaluate(() => window.__latencies);

  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const pct = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
    return { median: pct(50), p95: pct(95), max: s[s.length - 1], over: s.filter((x) => x > 16).length, n: s.length };
  };
  const fmt = (x) => `${x.toFixed(1)} ms`;
  const line = (name, st) => console.log(`  ${name.padEnd(30)} median ${fmt(st.median)}   p95 ${fmt(st.p95)}   max ${fmt(st.max)}   over 16 ms: ${st.over}/${st.n}`);
  console.log(`== keystroke-to-paint, typing into a ${count}-word Reasoning with autosave on`);
  line("the app", stats(latencies));
  line("a bare <textarea> (floor)", stats(floor));
  const h = stats(handler);
  console.log(`  the app's input handler: median ${fmt(h.median)}, p95 ${fmt(h.p95)}, max ${fmt(h.max)}`);
  const big = saves.filter((x) => x.chars > 30000);
  if (big.length) {
    const ms = big.map((x) => x.ms).sort((a, b) => a - b);
    console.log(`  autosaves of the ${Math.round(big[0].chars / 1024)} KB draft: ${big.length}, localStorage.setItem median ${fmt(ms[Math.floor(ms.length / 2)])}, max ${fmt(ms[ms.length - 1])}`);
  }
} finally {
  await browser.close();
  server.kill();
}
