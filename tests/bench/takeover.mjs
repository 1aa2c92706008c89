// Where the main thread's long tasks go while the app takes a page over (issue 11: TBT ≤ 50 ms).
// A measurement, not a test: it prints numbers and never fails on them.
//
//   node tests/bench/takeover.mjs <site dist> <page path>... [--runs N] [--cpu 4] [--network]
//
// Each load is a first visit (fresh context, cache disabled, service workers blocked) on a phone
// screen; `--cpu N` slows the CPU N× (Emulation.setCPUThrottlingRate, default 1) and `--network`
// adds Lighthouse's slow 4G. A Chromium trace of the load gives every top-level main-thread task
// whose cost — its thread time (CPU spent) × 4, as Lighthouse's simulation scales an unthrottled
// load for a phone — exceeds 50 ms (a long task; its blocking time is what exceeds 50, counted
// after the first contentful paint), with what it spent its time on: script evaluation, wasm
// compilation, the app's code, style, layout and paint (`--profile` adds the functions sampled).
// Thread time, unlike wall time, hardly moves when other processes share the machine.
// Per page, the median of N runs.
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../e2e/package.json"));
const { chromium } = require("@playwright/test");

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv.splice(at, 2)[1] : fallback;
};
const RUNS = Number(opt("--runs", 3));
const CPU = Number(opt("--cpu", 1));
/** Task costs are thread time times this: Lighthouse's mobile slowdown. */
const SCALE = 4;
const networkAt = argv.indexOf("--network");
const NETWORK = networkAt >= 0 && argv.splice(networkAt, 1).length > 0;
const profileAt = argv.indexOf("--profile");
const PROFILE = profileAt >= 0 && argv.splice(profileAt, 1).length > 0;
const [siteDist, ...paths] = argv;
if (!siteDist || paths.length === 0) {
  console.error("usage: node tests/bench/takeover.mjs <site dist> <page path>... [--runs N] [--cpu 4] [--network]");
  process.exit(2);
}

const PORT = 4223;
const server = spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", resolve(siteDist), "--prefix", "/senior-leap/", "--port", String(PORT), "--gzip"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 600));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const MOBILE = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute", "toplevel", "blink.user_timing", "loading"];

/** What a task's time went to: its events by name, each counted for its own time (not its children's). */
function breakdown(task, events) {
  const inside = events
    .filter((e) => e.ph === "X" && e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  // A stack walk: each event's own time is its duration less its direct children's.
  const stack = [];
  const add = (e, ms) => self.set(label(e), (self.get(label(e)) ?? 0) + ms);
  const childTime = new Map();
  for (const e of inside) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) childTime.set(parent, (childTime.get(parent) ?? 0) + e.dur);
    stack.push(e);
  }
  for (const e of inside) add(e, (e.dur - (childTime.get(e) ?? 0)) / 1000);
  return [...self.entries()].filter(([, ms]) => ms >= 2).sort((a, b) => b[1] - a[1]);
}

function label(e) {
  const d = e.args?.data ?? {};
  if (e.name === "FunctionCall" || e.name === "EvaluateScript" || e.name === "v8.compile") {
    const where = (d.url ?? "").split("/").pop();
    return `${e.name}${d.functionName ? ` ${d.functionName}` : ""}${where ? ` (${where})` : ""}`;
  }
  if (e.name === "TimerFire") return "TimerFire";
  return e.name;
}

/** The main thread's CPU profile samples: [time, function name], from the trace's ProfileChunks. */
function profileSamples(events, pid) {
  const nodes = new Map();
  const out = [];
  const byProfile = new Map();
  for (const e of events.filter((e) => e.pid === pid && e.name === "Profile")) byProfile.set(e.id, { t: e.args.data.startTime, tid: e.tid });
  for (const e of events.filter((e) => e.pid === pid && e.name === "ProfileChunk")) {
    const p = byProfile.get(e.id);
    if (!p) continue;
    const d = e.args.data;
    for (const n of d.cpuProfile?.nodes ?? []) nodes.set(`${e.id}:${n.id}`, n.callFrame);
    const ids = d.cpuProfile?.samples ?? [];
    const deltas = d.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      p.t += deltas[i] ?? 0;
      const f = nodes.get(`${e.id}:${ids[i]}`);
      out.push([p.t, f ? `${f.functionName || "(anonymous)"}${f.url ? ` ${f.url.split("/").pop()}` : ""}` : "?"]);
    }
  }
  return out;
}

/** The functions a task's samples fell in, by share of its time (a function's own time). */
function inCode(task, samples) {
  const inside = samples.filter(([t]) => t >= task.ts && t <= task.ts + task.dur);
  const count = new Map();
  for (const [, f] of inside) count.set(f, (count.get(f) ?? 0) + 1);
  const total = inside.length || 1;
  return [...count.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([f, n]) => [f, (n / total) * task.dur / 1000]);
}

async function load(url) {
  const context = await browser.newContext({ serviceWorkers: "block", viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (NETWORK) await cdp.send("Network.emulateNetworkConditions", MOBILE);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
  await browser.startTracing(tab, { categories: PROFILE ? [...CATEGORIES, "disabled-by-default-v8.cpu_profiler"] : CATEGORIES });
  await tab.goto(url, { waitUntil: "load" });
  // No script of the driver's runs in the page while it is traced (Playwright's injected
  // scripts would show as long tasks of their own): a fixed wait covers the take-over.
  await new Promise((r) => setTimeout(r, NETWORK ? 8000 : 4000));
  const trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
  await context.close();
  const events = trace.traceEvents;
  // The page's main thread: the renderer thread that ran the navigation's HTML parse.
  const parse = events.find((e) => e.name === "ParseHTML" && (e.args?.beginData?.url ?? "").startsWith(url.split("#")[0]));
  const main = events.filter((e) => e.pid === parse?.pid && e.tid === parse?.tid);
  // Top-level tasks only: a ThreadControllerImpl::RunTask nests inside a RunTask.
  const all = main.filter((e) => e.ph === "X" && (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask"));
  // A task's cost is its thread time (CPU spent), times the slowdown: what Lighthouse's simulation
  // does with an unthrottled trace. Other processes on a shared machine stretch wall time, not this.
  const cost = (e) => ((e.tdur ?? e.dur) / 1000) * SCALE;
  const top = all.filter((e) => !all.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur));
  const tasks = top.filter((e) => cost(e) > 50);
  const t0 = main.filter((e) => e.ts).reduce((m, e) => Math.min(m, e.ts), Infinity);
  const fcp = events.find((e) => e.name === "firstContentfulPaint" && e.pid === parse?.pid);
  const samples = PROFILE ? profileSamples(events, parse?.pid) : [];
  return tasks.map((t) => ({
    at: (t.ts - t0) / 1000,
    ms: cost(t),
    wall: t.dur / 1000,
    // Lighthouse counts only what comes after the first contentful paint.
    afterFcp: !fcp || t.ts + t.dur > fcp.ts,
    parts: breakdown(t, main),
    code: inCode(t, samples),
  }));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  console.log(`== long main-thread tasks during take-over: ${CPU}x CPU${NETWORK ? ", slow 4G" : ", local network"}, ${RUNS} first visits per page`);
  for (const path of paths) {
    const url = `http://127.0.0.1:${PORT}/senior-leap/${path}`;
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await load(url));
    const longest = runs.map((r) => Math.max(0, ...r.filter((t) => t.afterFcp).map((t) => t.ms)));
    const blocking = runs.map((r) => r.filter((t) => t.afterFcp).reduce((s, t) => s + Math.max(0, t.ms - 50), 0));
    console.log(`  ${path || "(catalog)"}: longest task after first paint ${Math.round(median(longest))} ms (runs ${longest.map(Math.round).join(", ")}), blocking ${Math.round(median(blocking))} ms (runs ${blocking.map(Math.round).join(", ")})`);
    // The run with the median longest task, task by task.
    const order = longest.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
    const shown = runs[order[Math.floor(order.length / 2)][1]];
    for (const t of shown) {
      console.log(`    task at ${Math.round(t.at)} ms: ${Math.round(t.ms)} ms (wall ${Math.round(t.wall)} ms)${t.afterFcp ? "" : ", before first paint"}`);
      for (const [name, ms] of t.parts.slice(0, 10)) console.log(`      ${String(Math.round(ms)).padStart(5)} ms  ${name.slice(0, 110)}`); // wall time at the run's CPU rate
      if (PROFILE) for (const [name, ms] of t.code) console.log(`        ${String(Math.round(ms)).padStart(5)} ms in ${name.slice(0, 100)}`);
    }
  }
} finally {
  await browser.close();
  server.kill();
}
