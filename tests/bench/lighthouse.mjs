// Lighthouse's mobile performance audit of the site's pages beside a minimal Leptos counter built
// in the same run (issue 11). A measurement, not a test: it prints numbers and never fails on them.
//
//   node tests/bench/lighthouse.mjs <site dist> <counter dist> <page path>... [--runs N] [--methods simulate,devtools]
//
// npm `lighthouse` (installed by `./site bench` into .tools/lighthouse) with its default mobile
// preset: a phone screen, slow 4G (1.6 Mbps, 150 ms) and a 4x slower CPU, simulated from a real
// load of the page in the system Chromium; each run launches a fresh browser (a first visit).
// Both builds are served by tests/e2e/pages-server.mjs with gzip, as GitHub Pages serves them.
// Two tables: Lighthouse's default "simulate" method (what PageSpeed Insights reports) and
// "devtools", which really throttles the load. Against a local server the simulation is unsteady
// for a page that preloads a large wasm: when the unthrottled wasm download happens to end before
// the page's largest paint, its LCP estimate includes the whole wasm at 1.6 Mbps, seconds a phone
// never waits for that paint. The applied figures say which estimate to believe.
// Figures are the median of N runs (3 by default); below the table, what Lighthouse would improve
// on each page (its audits scoring under 0.9 in the median run), to act on.
import { spawn, execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const LIGHTHOUSE = process.env.LIGHTHOUSE ?? join(here, "../../.tools/lighthouse/node_modules/.bin/lighthouse");
const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const RUNS = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 3;
const methodsAt = argv.indexOf("--methods");
const METHODS = methodsAt >= 0 ? argv.splice(methodsAt, 2)[1].split(",") : ["simulate", "devtools"];
const [siteDist, counterDist, ...paths] = argv;
if (!siteDist || !counterDist || paths.length === 0) {
  console.error("usage: node tests/bench/lighthouse.mjs <site dist> <counter dist> <page path>... [--runs N]");
  process.exit(2);
}
if (!existsSync(LIGHTHOUSE)) {
  console.log("== Lighthouse skipped: not installed (./site bench installs it)");
  process.exit(0);
}

const SITE_PORT = 4221;
const COUNTER_PORT = 4222;
const servers = [
  [siteDist, "/senior-leap/", SITE_PORT],
  [counterDist, "/counter/", COUNTER_PORT],
].map(([dir, prefix, port]) =>
  spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", resolve(dir), "--prefix", prefix, "--port", String(port), "--gzip"], { stdio: "ignore" }),
);
await new Promise((r) => setTimeout(r, 600));

const pages = [
  ...paths.map((p) => ({ name: p === "" ? "catalog" : p.replace(/\/$/, "").split("/").pop(), url: `http://127.0.0.1:${SITE_PORT}/senior-leap/${p}` })),
  { name: "counter (floor)", url: `http://127.0.0.1:${COUNTER_PORT}/counter/` },
];

const CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync";
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "leap-lighthouse-"));

/** One Lighthouse run of `url`; its report (LHR), or null if Lighthouse failed. */
async function audit(url, n, method) {
  const out = join(scratch, `${n}.json`);
  try {
    await run(LIGHTHOUSE, [url, "--only-categories=performance", `--throttling-method=${method}`, "--output=json", `--output-path=${out}`, `--chrome-flags=${CHROME_FLAGS}`, "--quiet"], {
      env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? "/usr/bin/chromium" },
      timeout: 180_000,
      maxBuffer: 1 << 26,
    });
    return JSON.parse(readFileSync(out, "utf8"));
  } catch (err) {
    console.error(`  Lighthouse failed on ${url}: ${String(err.stderr || err.message).split("\n").slice(-3).join(" ")}`);
    return null;
  }
}

const METRICS = [
  ["score", (r) => r.categories.performance.score * 100, (x) => String(Math.round(x))],
  ["FCP", (r) => r.audits["first-contentful-paint"].numericValue, (x) => `${(x / 1000).toFixed(2)} s`],
  ["LCP", (r) => r.audits["largest-contentful-paint"].numericValue, (x) => `${(x / 1000).toFixed(2)} s`],
  ["TBT", (r) => r.audits["total-blocking-time"].numericValue, (x) => `${Math.round(x)} ms`],
  ["CLS", (r) => r.audits["cumulative-layout-shift"].numericValue, (x) => x.toFixed(3)],
  ["Speed Index", (r) => r.audits["speed-index"].numericValue, (x) => `${(x / 1000).toFixed(2)} s`],
  ["TTI", (r) => r.audits.interactive?.numericValue ?? NaN, (x) => (Number.isNaN(x) ? "—" : `${(x / 1000).toFixed(2)} s`)],
  ["transfer", (r) => r.audits["total-byte-weight"].numericValue, (x) => `${(x / 1024).toFixed(1)} KB`],
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

let n = 0;
for (const method of METHODS) {
  const reports = Object.fromEntries(pages.map((p) => [p.name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const page of pages) {
      const lhr = await audit(page.url, n++, method);
      if (lhr && lhr.categories?.performance?.score != null) reports[page.name].push(lhr);
    }
  }

  console.log(`== Lighthouse ${reports[pages[0].name][0]?.lighthouseVersion ?? ""} mobile (slow 4G, 4x CPU, ${method === "simulate" ? "simulated" : "applied through DevTools"}), median of ${RUNS} runs`);
  const w = [24, 6, 8, 8, 8, 7, 12, 8, 11];
  const row = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join("  ");
  console.log(`  ${row(["page", ...METRICS.map(([name]) => name)])}`);
  for (const page of pages) {
    const lhrs = reports[page.name];
    if (lhrs.length === 0) {
      console.log(`  ${row([page.name, ...METRICS.map(() => "—")])}`);
      continue;
    }
    console.log(`  ${row([page.name, ...METRICS.map(([, get, fmt]) => fmt(median(lhrs.map(get))))])}${lhrs.length < RUNS ? `   (${lhrs.length} of ${RUNS} runs)` : ""}`);
  }

  console.log();
  console.log("  What Lighthouse would improve (audits under 0.9 in the run with the median score):");
  for (const page of pages) {
    const lhrs = [...reports[page.name]].sort((a, b) => a.categories.performance.score - b.categories.performance.score);
    const lhr = lhrs[Math.floor(lhrs.length / 2)];
    if (!lhr) continue;
    const weak = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 0.9 && !["metric", "informative", "manual", "notApplicable"].includes(a.scoreDisplayMode))
      .filter((a) => !METRICS.some(([name]) => a.id.startsWith(name.toLowerCase())))
      .map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    const lcpElement = lhr.audits["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node?.snippet;
    const shifts = (lhr.audits["layout-shifts"]?.details?.items ?? []).map((s) => `${s.node?.snippet ?? "?"} ${s.score?.toFixed?.(3) ?? ""}`);
    console.log(`    ${page.name}: ${weak.length ? weak.join("; ") : "nothing"}`);
    if (lcpElement) console.log(`      LCP element: ${lcpElement.slice(0, 120)}`);
    if (shifts.length) console.log(`      layout shifts: ${shifts.join("; ").slice(0, 300)}`);
  }
  console.log();
}

rmSync(scratch, { recursive: true, force: true });
for (const s of servers) s.kill();
