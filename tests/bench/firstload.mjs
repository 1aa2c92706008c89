// First loads of the site's pages beside a minimal Leptos counter built in the same run (issue 11),
// in this machine's headless Chromium. A measurement, not a test: it prints numbers and never
// fails on them.
//
//   node tests/bench/firstload.mjs <site dist> <counter dist> <page path>... [--runs N]
//
// Both builds are served by tests/e2e/pages-server.mjs with gzip, as GitHub Pages serves them.
// Every load is a first visit: a fresh browser context (empty cache and storage), service workers
// blocked (a worker's precache runs on its own target, which the page's throttling does not slow,
// so it would make the figures depend on when it happens to run; its size is reported apart).
//
// 1. What each page downloads before it is usable: every same-origin request of an unthrottled
//    load until the app has taken over and the network is quiet, with each file's gzip -9 size.
// 2. The same loads under Lighthouse's mobile conditions through CDP (1.6 Mbps down, 750 kbps up,
//    150 ms round trip, CPU slowed 4x), median of N runs, the pages interleaved so the machine's
//    noise spreads over all of them:
//      readable   first contentful paint: the pre-rendered text is on screen
//      largest    largest contentful paint: the page's largest text or image is on screen (if the
//                 app renders something larger than the pre-rendered page, this waits for the app)
//      taken over the app has mounted (the `data-ready` attribute the app sets after its first
//                 render; the counter sets it on <html> once mounted), or on a plain scenario's
//                 page its write bundle runs (`data-write`: writing and committing work); an
//                 investigation's page waits for the full loop, which draws its evidence
//      longest    the longest main-thread task from navigation to take-over
//      blocking   the sum of every such task's time past 50 ms (TBT's definition, up to take-over)
//      bytes      what crossed the network up to take-over (headers included)
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../e2e/package.json"));
const { chromium } = require("@playwright/test");

const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const RUNS = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 5;
const [siteDist, counterDist, ...paths] = argv;
if (!siteDist || !counterDist || paths.length === 0) {
  console.error("usage: node tests/bench/firstload.mjs <site dist> <counter dist> <page path>... [--runs N]");
  process.exit(2);
}

const SITE_PORT = 4211;
const COUNTER_PORT = 4212;
const servers = [
  [siteDist, "/senior-leap/", SITE_PORT],
  [counterDist, "/counter/", COUNTER_PORT],
].map(([dir, prefix, port]) =>
  spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", resolve(dir), "--prefix", prefix, "--port", String(port), "--gzip"], { stdio: "ignore" }),
);
await new Promise((r) => setTimeout(r, 600));

const pages = [
  ...paths.map((p) => ({ name: p === "" ? "catalog" : p.replace(/\/$/, "").split("/").pop(), url: `http://127.0.0.1:${SITE_PORT}/senior-leap/${p}`, dist: resolve(siteDist), prefix: "/senior-leap/" })),
  { name: "counter (floor)", url: `http://127.0.0.1:${COUNTER_PORT}/counter/`, dist: resolve(counterDist), prefix: "/counter/" },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** Lighthouse's mobile preset ("slow 4G"), in the units CDP takes. */
const MOBILE = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

/** Records paint, take-over and long tasks in the page, from its very first script. */
function instrument() {
  window.__leap = { fcp: null, lcp: null, ready: null, tasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__leap.lcp = e.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") window.__leap.fcp = e.startTime;
  }).observe({ type: "paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__leap.tasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
  // A plain scenario's page is usable once its write bundle runs (`data-write`: writing and
  // committing work; the full practice loop comes at the first interaction). An investigation's
  // is usable once the full loop has taken it over (its evidence column is the loop's).
  new MutationObserver((changes, observer) => {
    const usable = (el) => el.hasAttribute?.("data-ready") || (el.hasAttribute?.("data-write") && !el.hasAttribute("data-investigation"));
    if (changes.some((c) => usable(c.target))) {
      window.__leap.ready = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready", "data-write"] });
}

/** One first visit; `throttle` applies the mobile conditions. Returns its figures and requests. */
async function load(page, throttle) {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const tab = await context.newPage();
  await tab.addInitScript(instrument);
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (throttle) {
    await cdp.send("Network.emulateNetworkConditions", MOBILE);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  }
  const requests = new Map();
  let bytes = 0;
  let bytesAtReady = null;
  cdp.on("Network.requestWillBeSent", (e) => requests.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  const started = Date.now();
  await tab.goto(page.url, { waitUntil: "commit" });
  // Poll rather than wait on a selector: the figure is taken inside the page, polling only ends it.
  while (Date.now() - started < 90_000) {
    const ready = await tab.evaluate(() => window.__leap?.ready ?? null).catch(() => null);
    if (ready !== null) {
      bytesAtReady = bytes;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // Whatever the app fetches right after taking over (data for a second render, lazy code).
  await tab.waitForLoadState("networkidle").catch(() => {});
  const m = await tab.evaluate(() => window.__leap);
  await context.close();
  const upTo = m.ready ?? Infinity;
  const tasks = m.tasks.filter(([start]) => start < upTo);
  return {
    fcp: m.fcp,
    lcp: m.lcp,
    ready: m.ready,
    longest: Math.max(0, ...tasks.map(([, d]) => d)),
    blocking: tasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0),
    bytes: bytesAtReady,
    bytesIdle: bytes,
    urls: [...new Set(requests.values())],
  };
}

const gzipCache = new Map();
function gz(file) {
  if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(readFileSync(file), { level: 9 }).length);
  return gzipCache.get(file);
}

/** The dist file a same-origin URL of the page's server answers with, if any. */
function fileOf(page, url) {
  const u = new URL(url);
  if (u.origin !== new URL(page.url).origin || !u.pathname.startsWith(page.prefix)) return null;
  let rel = decodeURIComponent(u.pathname.slice(page.prefix.length));
  if (rel === "" || rel.endsWith("/")) rel += "index.html";
  const file = join(page.dist, rel);
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

const KINDS = { ".html": "html", ".css": "css", ".js": "js", ".wasm": "wasm", ".json": "data" };
const kb = (b) => (b === null || b === undefined ? "—" : `${(b / 1024).toFixed(1)} KB`);
const ms = (x) => (x === null || x === undefined ? "—" : `${Math.round(x)} ms`);
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const row = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");

console.log("== first load, gzip -9 of every file a first visit requests before the app is ready and the network is quiet");
let w = [24, 10, 10, 10, 10, 10, 10, 11];
console.log(`  ${row(["page", "html", "css", "js", "wasm", "data", "other", "total"], w)}`);
const files = {};
for (const page of pages) {
  const { urls } = await load(page, false);
  const sums = { html: 0, css: 0, js: 0, wasm: 0, data: 0, other: 0 };
  files[page.name] = [];
  for (const url of urls) {
    const file = fileOf(page, url);
    if (!file) continue;
    const size = gz(file);
    sums[KINDS[extname(file)] ?? "other"] += size;
    files[page.name].push([file.slice(page.dist.length + 1), size]);
  }
  const total = Object.values(sums).reduce((a, b) => a + b, 0);
  console.log(`  ${row([page.name, ...Object.values(sums).map(kb), kb(total)], w)}`);
}
for (const page of pages) {
  console.log(`  ${page.name}: ${files[page.name].map(([f, s]) => `${f} ${kb(s)}`).join(", ")}`);
}
const sw = join(resolve(siteDist), "sw.js");
try {
  // The worker's precache list, as `leap build` writes it: `const PRECACHE = [...]`.
  const list = JSON.parse(readFileSync(sw, "utf8").match(/const PRECACHE = (\[.*\]);/)[1]);
  const total = list.reduce((sum, entry) => {
    const file = fileOf(pages[0], new URL(entry, pages[0].url.replace(/[^/]*$/, "")).href);
    return sum + (file ? gz(file) : 0);
  }, 0);
  console.log(`  + the service worker's precache, fetched once a first visit has registered it: ${list.length} files, ${kb(total)}`);
} catch {
  console.log("  (no service worker precache list found)");
}

console.log();
console.log(`== throttled first load (1.6 Mbps, 150 ms RTT, 4x CPU), median of ${RUNS} runs`);
const results = Object.fromEntries(pages.map((p) => [p.name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const page of pages) results[page.name].push(await load(page, true));
}
w = [24, 10, 9, 11, 9, 9, 11, 14];
console.log(`  ${row(["page", "readable", "largest", "taken over", "longest", "blocking", "bytes", "bytes at idle"], w)}`);
for (const page of pages) {
  const r = results[page.name];
  const pick = (k) => median(r.map((x) => x[k]));
  const missed = r.filter((x) => x.ready === null).length;
  console.log(`  ${row([page.name, ms(pick("fcp")), ms(pick("lcp")), ms(pick("ready")), ms(pick("longest")), ms(pick("blocking")), kb(pick("bytes")), kb(pick("bytesIdle"))], w)}${missed ? `   (${missed} of ${RUNS} never took over within 90 s)` : ""}`);
}

await browser.close();
for (const s of servers) s.kill();
