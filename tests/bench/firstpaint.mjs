// "Typing works at first paint" (issue 11): how soon a learner on a phone can write on a plain
// scenario page, and how soon what they wrote is safe. A measurement, not a test: it prints
// numbers and never fails on them.
//
//   node tests/bench/firstpaint.mjs <site dist> [--runs N]
//
// The build is served by tests/e2e/pages-server.mjs with gzip, as GitHub Pages serves it. Every
// load is a first visit (fresh browser context, cache disabled, service workers blocked) on a
// 412×823 phone screen under Lighthouse's mobile conditions through CDP: 1.6 Mbps down, 750 kbps
// up, 150 ms round trip (Network.emulateNetworkConditions), CPU slowed 4× (Emulation.
// setCPUThrottlingRate). A driver behaves like an eager learner: from the moment the page starts
// arriving it taps "Your answer" until the editor shows, then types into Reasoning. Times are from
// the start of navigation, taken inside the page; the medians of N runs:
//   text readable     first contentful paint: the briefing's pre-rendered text is on screen
//   typing accepted   the first key typed into Reasoning lands in it (its first `input` event)
//   draft saved       that key is in storage (the first localStorage write holding it returns)
//   commit works      the page's write bundle runs (`data-write`): Commit stores the attempt
//   app took over     the full practice loop has mounted (the `data-ready` attribute it sets after
//                     its first render; the typing is the interaction that sends for it)
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../e2e/package.json"));
const { chromium } = require("@playwright/test");

const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const RUNS = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 5;
const [siteDist] = argv;
if (!siteDist) {
  console.error("usage: node tests/bench/firstpaint.mjs <site dist> [--runs N]");
  process.exit(2);
}

const PORT = 4213;
const server = spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", resolve(siteDist), "--prefix", "/senior-leap/", "--port", String(PORT), "--gzip"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 600));

const index = JSON.parse(readFileSync(join(resolve(siteDist), "data/index.json"), "utf8"));
const plain = index.scenarios.find((s) => !s.investigation);
const path = `scenarios/${plain.pack}/${plain.slug}/`;
const url = `http://127.0.0.1:${PORT}/senior-leap/${path}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** Lighthouse's mobile preset ("slow 4G"), in the units CDP takes. */
const MOBILE = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

/** The first key the driver types: recognisable in what is stored. */
const KEY = "Q";

/** Records paint, the first keystroke that lands, the first save holding it, and the take-over. */
function instrument(key) {
  const m = (window.__leap = { fcp: null, typed: null, saved: null, write: null, ready: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") m.fcp = e.startTime;
  }).observe({ type: "paint", buffered: true });
  document.addEventListener("input", (e) => {
    if (m.typed === null && e.target.id === "reasoning") m.typed = performance.now();
  }, true);
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    const r = setItem.call(this, k, v);
    if (m.saved === null && String(v).includes(`"reasoning":"${key}`)) m.saved = performance.now();
    return r;
  };
  new MutationObserver((changes, observer) => {
    if (m.write === null && changes.some((c) => c.target.hasAttribute?.("data-write"))) m.write = performance.now();
    if (changes.some((c) => c.target.hasAttribute?.("data-ready"))) {
      m.ready = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready", "data-write"] });
}

async function load() {
  const context = await browser.newContext({ serviceWorkers: "block", viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const tab = await context.newPage();
  await tab.addInitScript(instrument, KEY);
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", MOBILE);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await tab.goto(url, { waitUntil: "commit" });
  const started = Date.now();
  // Tap "Your answer" until the editor shows (before the page's script runs, a tap does nothing;
  // the other tab is only clipped out of sight, so its being "visible" proves nothing).
  const tabAnswer = tab.locator("#tab-answer");
  const editor = tab.locator("#reasoning");
  const shown = () => tab.evaluate(() => document.getElementById("practice")?.dataset.tab === "answer").catch(() => false);
  while (Date.now() - started < 60_000 && !(await shown())) {
    if (await tabAnswer.isVisible().catch(() => false)) await tabAnswer.click({ timeout: 2000 }).catch(() => {});
    else await tab.waitForTimeout(20);
  }
  await editor.click({ timeout: 60_000 });
  await tab.keyboard.type(KEY);
  await tab.keyboard.type("uick to write: the cache went cold.");
  while (Date.now() - started < 90_000) {
    const m = await tab.evaluate(() => window.__leap).catch(() => null);
    if (m && m.ready !== null && m.saved !== null) break;
    await tab.waitForTimeout(50);
  }
  const m = await tab.evaluate(() => window.__leap);
  const value = await editor.inputValue().catch(() => "");
  await context.close();
  return { ...m, kept: value.startsWith(`${KEY}uick to write`) };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x === null || x === undefined ? "—" : `${Math.round(x)} ms`);

try {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await load());
  console.log(`== typing at first paint: ${path} on a 412×823 phone, 1.6 Mbps / 150 ms RTT, 4x CPU; median of ${RUNS} first visits`);
  for (const [name, field] of [
    ["text readable (first contentful paint)", "fcp"],
    ["typing accepted (first key in Reasoning)", "typed"],
    ["draft saved (that key in storage)", "saved"],
    ["commit works (write bundle runs)", "write"],
    ["full loop took over (data-ready)", "ready"],
  ]) {
    console.log(`  ${name.padEnd(42)} ${ms(median(runs.map((r) => r[field]))).padStart(8)}   runs: ${runs.map((r) => ms(r[field])).join(", ")}`);
  }
  const lost = runs.filter((r) => !r.kept).length;
  console.log(`  the text typed across the take-over was on screen after it in ${RUNS - lost} of ${RUNS} runs`);
} finally {
  await browser.close();
  server.kill();
}
