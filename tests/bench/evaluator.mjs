// The evaluator client's own overhead, in this machine's headless Chromium against a release build
// and the mock provider: how long the page takes to show what the provider sent. A measurement,
// not a test: it prints numbers and never fails on them.
//
//   node tests/bench/evaluator.mjs <dist folder>
//
// The page's stream reader is wrapped so the moment each chunk reaches the page is known (the
// provider's bytes, as the page gets them). A MutationObserver notes when the feedback section
// changes, and the time is taken after the next frame is painted (requestAnimationFrame, then a
// macrotask), so every figure includes waiting for a frame:
//   first byte → first visible sign   the status line saying the model is writing
//   last byte  → grading on screen    the complete grading card, verdicts scored, painted
// Twenty gradings per provider format, one after another on the same attempt.
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fullLoop } from "./full-loop.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../e2e/package.json"));
const { chromium } = require("@playwright/test");
const dist = resolve(process.argv[2] ?? join(here, "../../dist"));
const port = 4198;
const mockPort = 4197;
const MOCK = `http://127.0.0.1:${mockPort}`;
const RUNS = 20;
const server = spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", dist, "--prefix", "/bench/", "--port", String(port)], { stdio: "ignore" });
const mock = spawn("python3", [join(here, "../mock_provider/server.py"), "--port", String(mockPort)], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 800));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const pct = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { median: pct(50), p95: pct(95), max: s[s.length - 1], n: s.length };
};
const fmt = (x) => `${x.toFixed(1)} ms`;
const line = (name, st) => console.log(`    ${name.padEnd(34)} median ${fmt(st.median)}   p95 ${fmt(st.p95)}   max ${fmt(st.max)}   (n=${st.n})`);

try {
  const index = await (await fetch(`http://127.0.0.1:${port}/bench/data/index.json`)).json();
  const s = index.scenarios.find((x) => x.slug === "edge-cpu-regex") ?? index.scenarios[0];
  console.log(`== evaluator overhead: provider bytes → visible feedback (${s.slug}, headless Chromium, mock provider)`);
  for (const [provider, base, key, model] of [
    ["anthropic", MOCK, "sk-ant-bench-0123456789", "claude-sonnet-5"],
    ["open-ai", `${MOCK}/v1`, "sk-proj-bench-0123456789", "gpt-5-mini"],
    ["ollama", MOCK, "", "qwen3:8b"],
  ]) {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__chunks = [];
      const read = ReadableStreamDefaultReader.prototype.read;
      ReadableStreamDefaultReader.prototype.read = function () {
        return read.call(this).then((r) => {
          window.__chunks.push({ t: performance.now(), done: r.done });
          return r;
        });
      };
      window.__marks = [];
      const note = (what) => {
        const t = performance.now();
        requestAnimationFrame(() => setTimeout(() => window.__marks.push({ what, t, painted: performance.now() }), 0));
      };
      new MutationObserver(() => {
        const f = document.querySelector(".feedback");
        if (!f) return;
        const status = f.querySelector(".grading-progress .loading")?.textContent ?? "";
        if (status.includes("is writing") && !window.__sawWriting) {
          window.__sawWriting = true;
          note("writing");
        }
        const cards = f.querySelectorAll(".feedback-card").length;
        if (cards > (window.__cards ?? 0)) {
          window.__cards = cards;
          note("card");
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const site = `http://127.0.0.1:${port}/bench/`;
    await page.goto(`${site}settings/`);
    await page.locator("#app[data-ready]").waitFor({ timeout: 30000 });
    await page.getByLabel("Provider").selectOption(provider);
    await page.getByLabel("Base URL").fill(base);
    await page.getByLabel("Base URL").blur();
    await page.getByLabel("Model", { exact: true }).fill(model);
    await page.getByLabel("API key").fill(key);
    await page.goto(`${site}scenarios/${s.pack}/${s.slug}/`);
    await fullLoop(page);
    await page.getByLabel("Reasoning").fill("Every PoP went to 100 % CPU in the same minute: the global WAF rule push. The regex backtracks.");
    await page.getByLabel("Uncertainty").fill("Whether the kill switch works while CPU is pegged.");
    await page.getByLabel("Commitment").fill("Pull the global WAF kill switch, then roll the rule back.");
    await page.getByLabel("Confidence").fill("70");
    await page.getByRole("button", { name: "Commit", exact: true }).click();
    const first = [];
    const last = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate(() => {
        window.__chunks = [];
        window.__marks = [];
        window.__sawWriting = false;
      });
      await page.getByRole("button", { name: "Get feedback" }).click();
      await page.waitForFunction((n) => document.querySelectorAll(".feedback-card").length === n, i + 1);
      await page.waitForFunction(() => window.__marks.some((m) => m.what === "card"));
      const { chunks, marks } = await page.evaluate(() => ({ chunks: window.__chunks, marks: window.__marks }));
      const firstByte = chunks.find((c) => !c.done)?.t;
      const lastByte = chunks.filter((c) => !c.done).at(-1)?.t;
      const writing = marks.find((m) => m.what === "writing");
      const card = marks.find((m) => m.what === "card");
      if (firstByte !== undefined && writing) first.push(writing.painted - firstByte);
      if (lastByte !== undefined && card) last.push(card.painted - lastByte);
    }
    console.log(`  ${provider}`);
    line("first byte → first visible sign", stats(first));
    line("last byte → grading on screen", stats(last));
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
  mock.kill();
}
