// A 5 MB streamed reply against the page, in this machine's headless Chromium on a release build
// with the mock provider: does the page stay responsive? A measurement, not a test: it prints the
// longest main-thread task (PerformanceObserver "longtask", which reports tasks over 50 ms), how
// many long tasks there were, and the total time from "Get feedback" to the page showing the
// outcome (the cap's error with the verdicts that arrived).
//
//   node tests/bench/bigreply.mjs <dist folder>
//
// Two shapes of 5 MB: one evidence array of 700,000 short strings (what used to freeze the tab)
// and one 5 MB string (what used to finish).
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fullLoop } from "./full-loop.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../e2e/package.json"));
const { chromium } = require("@playwright/test");
const dist = resolve(process.argv[2] ?? join(here, "../../dist"));
const port = 4196;
const mockPort = 4195;
const MOCK = `http://127.0.0.1:${mockPort}`;
const server = spawn("node", [join(here, "../e2e/pages-server.mjs"), "--dir", dist, "--prefix", "/bench/", "--port", String(port)], { stdio: "ignore" });
const mock = spawn("python3", [join(here, "../mock_provider/server.py"), "--port", String(mockPort)], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 800));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

try {
  const index = await (await fetch(`http://127.0.0.1:${port}/bench/data/index.json`)).json();
  const s = index.scenarios.find((x) => x.slug === "edge-cpu-regex") ?? index.scenarios[0];
  console.log(`== a 5 MB streamed reply (OpenAI wire format, mock provider, ${s.slug})`);
  for (const shape of ["megabytes", "huge-string"]) {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__long.push(e.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    const site = `http://127.0.0.1:${port}/bench/`;
    await page.goto(`${site}settings/`);
    await page.locator("#app[data-ready]").waitFor({ timeout: 30000 });
    await page.getByLabel("Provider").selectOption("open-ai");
    await page.getByLabel("Base URL").fill(`${MOCK}/v1`);
    await page.getByLabel("Base URL").blur();
    await page.getByLabel("Model", { exact: true }).fill("gpt-5-mini");
    await page.getByLabel("API key").fill(`sk-proj-${shape}-0123456789`);
    await page.goto(`${site}scenarios/${s.pack}/${s.slug}/`);
    await fullLoop(page);
    await page.getByLabel("Reasoning").fill("Every PoP went to 100 % CPU in the same minute: the global WAF rule push.");
    await page.getByLabel("Commitment").fill("Pull the global WAF kill switch, then roll the rule back.");
    await page.getByLabel("Confidence").fill("70");
    await page.getByRole("button", { name: "Commit", exact: true }).click();
    await page.waitForTimeout(500);
    await page.evaluate(() => (window.__long = []));
    const start = Date.now();
    await page.getByRole("button", { name: "Get feedback" }).click();
    let outcome = "timed out after 120 s";
    try {
      await page.locator(".feedback .feedback-card").first().waitFor({ timeout: 120000 });
      await page.locator(".feedback [role=alert]").first().waitFor({ timeout: 10000 }).catch(() => {});
      outcome = ((await page.locator(".feedback [role=alert]").first().textContent().catch(() => "")) || "graded").trim().slice(0, 90);
    } catch {}
    const total = Date.now() - start;
    await page.waitForTimeout(300);
    const long = await page.evaluate(() => window.__long);
    const longest = long.length ? Math.max(...long) : 0;
    console.log(`  ${shape.padEnd(12)} longest task ${longest ? longest.toFixed(0) + " ms" : "none over 50 ms"}   long tasks ${long.length}   total ${(total / 1000).toFixed(1)} s   → ${outcome}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
  mock.kill();
}
