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
// A second run types the same way on an investigation whose draft carries a long log (every probe
// run, every inject arrived, hundreds of hypotheses, questions to the room and waits), all of it
// on screen in the evidence column beside the editor, and whose draft saves carry that log.
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fullLoop } from "./full-loop.mjs";

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
const base = `http://127.0.0.1:${port}/bench/`;
const words = Array.from({ length: 5000 }, (_, i) => ["incident", "rollback", "latency", "the", "config", "because", "p99", "region"][i % 8]).join(" ");

/** A long, valid log for an investigation: what a learner who tried everything leaves behind. */
function longLog(inv) {
  const events = [];
  let clock = 0;
  let lines = 0;
  const arrived = new Set();
  const deliver = () => {
    for (const i of inv.injects) if (i.at <= clock && !arrived.has(i.id)) {
      arrived.add(i.id);
      events.push({ type: "inject", id: i.id, at: i.at });
    }
  };
  for (const [n, p] of inv.probes.entries()) {
    for (let h = 0; h < 25; h++) {
      // A new line every fifth time, otherwise a revision of one already there.
      const revises = h % 5 === 0 ? null : 1 + (h % lines);
      if (revises === null) lines += 1;
      events.push({ type: "hypothesis", n: revises ?? lines, text: `Hypothesis after ${p.label}, take ${h}: the ${["WAF rule", "DNS change", "canary", "purge"][h % 4]} explains the shape because CPU and wait disagree`, confidence: (h * 7) % 101, at: clock, ...(revises ? { revises } : {}) });
    }
    events.push({ type: "asked", question: `What does ${p.label} show right now, and who on the call has looked at it?`, answer: `**Ana:** nobody has looked at that yet. ${"It is busy on the call. ".repeat(12)}`, at: clock });
    clock += p.cost;
    events.push({ type: "probe", id: p.id, at: clock });
    deliver();
    clock += 5;
    events.push({ type: "waited", minutes: 5, at: clock });
    deliver();
    if (n > 60) break;
  }
  return { events };
}

/** Types in bursts into the page's focused text area; returns each keystroke's latency. */
async function typeBursts(p) {
  await p.evaluate(() => {
    window.__latencies.length = 0;
    window.__handler.length = 0;
  });
  for (let b = 0; b < 10; b++) {
    await p.keyboard.type(" more words typed here xxxxxxx", { delay: 35 });
    await p.waitForTimeout(600);
  }
}

/** Opens a scenario page in a fresh tab, instrumented; `draft` (if any) is stored first. */
async function instrumented(url, draft) {
  const page = await browser.newPage();
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
  if (draft) {
    await page.goto(`${base}data/index.json`);
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [draft.key, JSON.stringify(draft.value)]);
  }
  await page.goto(url);
  await fullLoop(page);
  return page;
}

/** Fills Reasoning with the 5,000 words, types in bursts, and reads what was measured. */
async function measure(page) {
  await page.getByLabel("Reasoning").fill(words);
  await page.getByLabel("Reasoning").press("End");
  await page.waitForTimeout(1000);
  await typeBursts(page);
  return page.evaluate(() => ({
    latencies: window.__latencies,
    handler: window.__handler,
    saves: window.__saves,
    count: document.getElementById("reasoning").value.split(/\s+/).filter(Boolean).length,
  }));
}

try {
  const index = await (await fetch(`${base}data/index.json`)).json();
  const s = index.scenarios[0];
  const page = await instrumented(`${base}scenarios/${s.pack}/${s.slug}/`);
  const { latencies, handler, saves, count } = await measure(page);

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

  // The same typing beside a long investigation log.
  // The investigation with the most probes in the bundled pack, else any.
  const si = index.scenarios.find((x) => x.slug === "edge-cpu-regex" && x.investigation) ?? index.scenarios.find((x) => x.investigation);
  let withLog = null;
  if (si) {
    const inv = await (await fetch(`${base}scenarios/${si.pack}/${si.slug}/investigation.json?v=${index.build}`)).json();
    const log = longLog(inv);
    const now = Date.now();
    const draft = {
      key: `leap:${si.pack}:${si.id}:draft`,
      value: { v: 3, id: "benchlog00000001", scenario: { title: si.title, track: si.track, level: si.level, competencies: si.competencies }, answer: { reasoning: "", uncertainty: "", commitment: "", confidence: null }, started_at: now, updated_at: now, rev: 1, writer: "bench", log },
    };
    const p2 = await instrumented(`${base}scenarios/${si.pack}/${si.slug}/`, draft);
    const blocks = await p2.locator(".timeline > li").count();
    const hyps = await p2.locator(".hyp").count();
    const measured = await measure(p2);
    withLog = { ...measured, events: log.events.length, blocks, hyps, slug: si.slug, chars: JSON.stringify(log).length };
  }

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
  const saveLine = (list) => {
    const big = list.filter((x) => x.chars > 30000);
    if (big.length) {
      const ms = big.map((x) => x.ms).sort((a, b) => a - b);
      console.log(`  autosaves of the ${Math.round(big[0].chars / 1024)} KB draft: ${big.length}, localStorage.setItem median ${fmt(ms[Math.floor(ms.length / 2)])}, max ${fmt(ms[ms.length - 1])}`);
    }
  };
  saveLine(saves);
  if (withLog) {
    console.log(`== the same beside a long investigation log (${withLog.slug}: ${withLog.events} events, ${Math.round(withLog.chars / 1024)} KB; ${withLog.blocks} timeline entries and ${withLog.hyps} hypothesis lines on the page)`);
    line("the app, with the log", stats(withLog.latencies));
    line("a bare <textarea> (floor)", stats(floor));
    const hl = stats(withLog.handler);
    console.log(`  the app's input handler: median ${fmt(hl.median)}, p95 ${fmt(hl.p95)}, max ${fmt(hl.max)}`);
    saveLine(withLog.saves);
  } else {
    console.log("== no investigation in this build: the run beside a long log is skipped");
  }
} finally {
  await browser.close();
  server.kill();
}
