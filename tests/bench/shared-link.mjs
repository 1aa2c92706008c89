// First visits over one shared slow link, service worker included (issue 11). A measurement, not a
// test: it prints numbers and never fails on them.
//
//   node tests/bench/shared-link.mjs <site dist> [page path] [--runs N] [--no-worker]
//
// CDP's network throttling applies to the page's own requests only: a service worker is another
// target, so a worker precaching a megabyte during a first visit looks free in firstload.mjs and
// Lighthouse, while on a phone it shares the same 1.6 Mbps with the wasm the page waits for. Here
// every byte from the server goes through one link (1.6 Mbps down, 150 ms round trip: a proxy
// between Chromium and tests/e2e/pages-server.mjs), the CPU is slowed 4x, and the worker runs.
// It reports, median of N first visits (5 by default): text readable, app taken over, and the
// bytes the link carried up to take-over and in all.
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../e2e/package.json"));
const { chromium } = require("@playwright/test");
const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const RUNS = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 5;
// --no-worker blocks the service worker: the difference is what its precache costs a first visit.
const noWorker = argv.includes("--no-worker") && argv.splice(argv.indexOf("--no-worker"), 1).length > 0;
const [dist, path = ""] = argv;
if (!dist) {
  console.error("usage: node tests/bench/shared-link.mjs <site dist> [page path] [--runs N]");
  process.exit(2);
}

const SERVER_PORT = 4251;
const LINK_PORT = 4252;
const DOWN = (1.6 * 1024 * 1024) / 8; // bytes per second, shared by every connection
const ONE_WAY = 75; // ms
const server = spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", resolve(dist), "--prefix", "/senior-leap/", "--port", String(SERVER_PORT), "--gzip"], { stdio: "ignore" });

// The link: the downstream is one queue, so concurrent responses share its bandwidth.
let linkFreeAt = 0;
let carried = 0;
const link = createServer((client) => {
  const upstream = connect(SERVER_PORT, "127.0.0.1");
  client.on("data", (chunk) => setTimeout(() => upstream.write(chunk), ONE_WAY));
  upstream.on("data", (chunk) => {
    const now = performance.now();
    linkFreeAt = Math.max(linkFreeAt, now) + (chunk.length / DOWN) * 1000;
    carried += chunk.length;
    setTimeout(() => client.write(chunk), linkFreeAt - now + ONE_WAY);
  });
  const close = () => setTimeout(() => { client.destroy(); upstream.destroy(); }, Math.max(0, linkFreeAt - performance.now()) + ONE_WAY + 5);
  upstream.on("end", close);
  client.on("end", () => setTimeout(() => upstream.end(), ONE_WAY));
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
}).listen(LINK_PORT, "127.0.0.1");
await new Promise((r) => setTimeout(r, 600));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function visit() {
  const context = await browser.newContext({ serviceWorkers: noWorker ? "block" : "allow" });
  const tab = await context.newPage();
  await tab.addInitScript(() => {
    window.__leap = { fcp: null, ready: null };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === "first-contentful-paint") window.__leap.fcp = e.startTime;
    }).observe({ type: "paint", buffered: true });
    new MutationObserver((changes, observer) => {
      if (changes.some((c) => c.target.hasAttribute?.("data-ready"))) {
        window.__leap.ready = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
  });
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // Let the previous visit's last bytes drain off the link.
  while (linkFreeAt > performance.now()) await new Promise((r) => setTimeout(r, 50));
  carried = 0;
  await tab.goto(`http://127.0.0.1:${LINK_PORT}/senior-leap/${path}`, { waitUntil: "commit" });
  let atReady = null;
  const started = Date.now();
  while (Date.now() - started < 90_000) {
    if ((await tab.evaluate(() => window.__leap?.ready ?? null).catch(() => null)) !== null) {
      atReady = carried;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // The worker's precache, if any, finishes on the same link.
  await tab.evaluate(() => Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 60_000))])).catch(() => {});
  while (linkFreeAt > performance.now()) await new Promise((r) => setTimeout(r, 100));
  const m = await tab.evaluate(() => window.__leap);
  await context.close();
  return { ...m, atReady, all: carried };
}

const results = [];
for (let i = 0; i < RUNS; i++) results.push(await visit());
const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const ms = (x) => (x === null ? "—" : `${Math.round(x)} ms`);
const kb = (x) => (x === null ? "—" : `${(x / 1024).toFixed(1)} KB`);
console.log(`== first visit to /${path} over one shared link (1.6 Mbps, 150 ms RTT, 4x CPU, service worker ${noWorker ? "blocked" : "on"}), median of ${RUNS}`);
console.log(`  readable ${ms(median(results.map((r) => r.fcp)))}, taken over ${ms(median(results.map((r) => r.ready)))}, link carried ${kb(median(results.map((r) => r.atReady)))} up to take-over and ${kb(median(results.map((r) => r.all)))} in all`);

await browser.close();
link.close();
server.kill();
