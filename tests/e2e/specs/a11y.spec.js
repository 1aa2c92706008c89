// Accessibility (issue 10 point 9): axe finds nothing, of any impact, on every page and in every
// state a learner reaches — the catalog (filters folded and unfolded, then with data), How it
// works, a diagram enlarged, the 404 page, Settings with and without a provider, Progress with and
// without data, Review with nothing made, nothing due and cards due, an analysis before and after
// commit (timed), self-reviewed, with the evaluator's feedback and a comparison, and an
// investigation in the middle of it — in light and in dark, on a wide screen and on a 360 px
// phone. Every rule axe runs by default is run, and the WCAG 2.2 AA and best-practice rules it
// leaves off by default too (target-size).
import { test, expect, siteIndex, ready, MOCK } from "./fixtures.js";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createRequire } from "node:module";

const DIST = resolve(process.env.LEAP_DIST ?? "../../dist");
const index = siteIndex();
// An analysis scenario, whose self-review decides every criterion, and an investigation.
const analysis = index.scenarios.find((s) => !s.investigation);
const analysisPath = `scenarios/${analysis.pack}/${analysis.slug}/`;
const investigation =
  index.scenarios.find((s) => s.slug === "edge-cpu-regex" && s.investigation) ?? index.scenarios.find((s) => s.investigation);
const investigationPath = `scenarios/${investigation.pack}/${investigation.slug}/`;
// A scenario with a diagram, for the full-screen viewer.
const withDiagram = index.scenarios.find((s) => s.slug === "monolith-cost-tradeoff");
const inv = JSON.parse(readFileSync(resolve(DIST, `${investigationPath}investigation.json`), "utf8"));

const DAY = 24 * 60 * 60 * 1000;
// 09:00 on a Monday, in the browser's time zone.
const DAY0 = new Date("2027-03-01T09:00:00").getTime();

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

/**
 * Runs axe on the page as it is and returns one readable line per violation (state, rule, impact,
 * what it means, and each element with axe's summary of what is wrong with it); empty when clean.
 */
async function violations(page, state) {
  // Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  return result.violations.map(
    (v) =>
      `[${state}] ${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(" ")}\n      ${(n.failureSummary ?? "").replace(/\n\s*/g, " / ")}`).join("\n"),
  );
}

/** Collects the violations of every state a test walks through; the test fails once, listing them all. */
function auditor(page) {
  const found = [];
  const seen = [];
  return {
    async check(state) {
      await test.step(`axe: ${state}`, async () => {
        // Wait for what the app does after an action (focus moves, live regions fill) to settle.
        await page.waitForTimeout(150);
        seen.push(state);
        found.push(...(await violations(page, state)));
      });
    },
    done() {
      test.info().annotations.push({ type: "axe states", description: seen.join("; ") });
      expect(seen.length).toBeGreaterThan(0);
      expect(found, `axe violations:\n${found.join("\n")}`).toEqual([]);
    },
  };
}

async function open(page, where) {
  await page.goto(where);
  await ready(page);
}

/** Points Settings at the mock provider (tests/mock_provider/server.py), in its OpenAI dialect. */
async function useMock(page) {
  await open(page, "settings/");
  await page.getByLabel("Provider").selectOption("open-ai");
  await page.getByLabel("Base URL").fill(`${MOCK}/v1`);
  await page.getByLabel("Base URL").blur();
  await page.getByLabel("Model", { exact: true }).fill("gpt-5-mini");
  await page.getByLabel("API key").fill("sk-proj-ok-0123456789abcdef");
  await expect(page.locator(".save-state")).toContainText("Saved");
}

/** On a phone the answer (the editor, the rubric, the feedback) is a tab of its own. */
async function toAnswer(page) {
  const tab = page.getByRole("tab", { name: "Your answer" });
  if (await tab.isVisible()) await tab.click();
}

async function write(page, { reasoning, uncertainty, commitment, confidence }) {
  await toAnswer(page);
  await page.getByLabel("Reasoning").fill(reasoning);
  await page.getByLabel("Uncertainty").fill(uncertainty);
  await page.getByLabel("Commitment").fill(commitment);
  await page.getByLabel("Confidence", { exact: true }).fill(String(confidence));
}

async function commit(page) {
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  // The rubric is fetched only after commit: on a loaded machine that can outlast the default 5 s.
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible({ timeout: 15_000 });
}

/** Self-reviews every criterion the learner decides, cycling through the verdicts. */
async function selfReview(page) {
  const verdicts = ["Missed", "Partly caught", "Caught"];
  const boxes = page.locator(".criterion");
  const n = await boxes.count();
  for (let i = 0; i < n; i++) await boxes.nth(i).getByLabel(verdicts[i % verdicts.length], { exact: true }).check();
  await expect(page.locator(".rubric .score")).toContainText("Your self-review:");
}

const viewports = {
  wide: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
};

for (const scheme of ["light", "dark"]) {
  for (const [screen, viewport] of Object.entries(viewports)) {
    test.describe(`${scheme}, ${screen}`, () => {
      test.use({ colorScheme: scheme, viewport });

      test("a first visit: every page before the learner has any data", async ({ page }) => {
        const audit = auditor(page);
        await open(page, "./");
        await audit.check("catalog");
        // On a phone the filters fold away behind a disclosure.
        const filters = page.locator(".filters-box > summary");
        if (await filters.isVisible()) {
          await filters.click();
          await audit.check("catalog, filters unfolded");
        }
        await open(page, "how-it-works/");
        await audit.check("how it works");
        const response = await page.goto("no/such/page/");
        expect(response.status()).toBe(404);
        await ready(page);
        await audit.check("404");
        await open(page, "settings/");
        await expect(page.getByRole("heading", { name: "Evaluator settings" })).toBeVisible();
        await audit.check("settings without a provider");
        await open(page, "progress/");
        await audit.check("progress without data");
        await open(page, "review/");
        await expect(page.getByRole("heading", { name: "Nothing to review yet" })).toBeVisible();
        await audit.check("review with nothing made");
        if (withDiagram) {
          await open(page, `scenarios/${withDiagram.pack}/${withDiagram.slug}/`);
          await page.locator("a.diagram-open").first().click();
          await expect(page.getByRole("dialog", { name: "Enlarged diagram" })).toBeVisible();
          await audit.check("a diagram enlarged");
        }
        audit.done();
      });

      test("an analysis: writing, committed, self-reviewed, feedback, a comparison; then Progress, Review and the catalog with data", async ({ page }) => {
        test.setTimeout(120_000);
        const audit = auditor(page);
        await page.clock.install({ time: DAY0 });
        await open(page, analysisPath);
        await audit.check("analysis, empty");
        await toAnswer(page);
        await page.getByRole("button", { name: /^Start \d+-minute countdown$/ }).click();
        await expect(page.getByRole("timer", { name: "Time box" })).toBeVisible();
        await audit.check("analysis, timed");
        await write(page, {
          reasoning: "A slow dependency, **probably**; the dashboards are noisy.\n\n- one\n- two",
          uncertainty: "Whether it is the deploy.",
          commitment: "Roll back and watch.",
          confidence: 70,
        });
        await page.getByLabel("Show Markdown preview").check();
        await audit.check("analysis, written, with the preview");
        await page.getByLabel("Show Markdown preview").uncheck();
        await commit(page);
        await audit.check("analysis, committed");
        await selfReview(page);
        await page.getByLabel("What I missed and why").fill("I anchored on the deploy.");
        await audit.check("analysis, self-reviewed");

        await useMock(page);
        await audit.check("settings with a provider");
        await open(page, analysisPath);
        await toAnswer(page);
        await page.getByRole("button", { name: "Get feedback" }).click();
        const card = page.locator(".feedback-card").first();
        await expect(card.locator(".score")).toContainText(/The evaluator's verdicts score \d+ %/, { timeout: 15_000 });
        await page.getByLabel("Ask about this feedback").fill("Why?");
        await page.getByRole("button", { name: "Ask", exact: true }).click();
        await expect(page.locator(".thread .answer")).toContainText("You asked");
        await audit.check("analysis, with feedback and a follow-up");

        await page.getByRole("button", { name: "Try again" }).click();
        await expect(page.getByLabel("Reasoning")).toHaveValue("");
        await audit.check("analysis, second attempt, empty");
        await write(page, { reasoning: "Second try.", uncertainty: "Little.", commitment: "Roll back.", confidence: 55 });
        await commit(page);
        await selfReview(page);
        await page.getByRole("button", { name: "Compare", exact: true }).click();
        await expect(page.locator(".compare")).toContainText("Attempt 1 and attempt 2");
        await audit.check("analysis, two attempts compared");

        await open(page, "progress/");
        await expect(page.locator("svg.chart").first()).toBeVisible();
        await audit.check("progress with data");
        await open(page, "review/");
        await expect(page.getByRole("heading", { name: "Nothing due" })).toBeVisible();
        await audit.check("review with nothing due");

        await page.clock.setSystemTime(DAY0 + DAY);
        await open(page, "review/");
        await expect(page.locator(".drill")).toBeVisible();
        await audit.check("review with cards due");
        await page.getByRole("button", { name: "Show the answer" }).click();
        await expect(page.getByRole("heading", { name: "What a senior sees" })).toBeFocused();
        await audit.check("review, answer shown");
        await open(page, "./");
        await audit.check("catalog with data and cards due");
        audit.done();
      });

      test("an investigation in the middle of it, then committed with feedback", async ({ page }) => {
        test.setTimeout(90_000);
        const audit = auditor(page);
        await useMock(page);
        await open(page, investigationPath);
        await expect(page.getByRole("timer", { name: "Incident clock" })).toHaveText(/^T\+0 min/);
        await audit.check("investigation, not started");
        const menu = page.getByRole("region", { name: "Evidence you can ask for" });
        const [a, b] = inv.probes;
        for (const p of [a, b]) await menu.getByRole("button", { name: `${p.label} (${p.cost} min)`, exact: true }).click();
        await page.getByRole("button", { name: "Wait 5 min" }).click();
        await page.getByLabel("Ask the room").fill("Zzzzz qqqqq?");
        await page.getByRole("button", { name: "Ask", exact: true }).click();
        await expect(page.getByRole("region", { name: "Evidence so far" }).locator(".ev-asked")).toHaveCount(1);
        await page.getByRole("button", { name: "Add hypothesis" }).click();
        await page.getByLabel("Hypothesis", { exact: true }).fill("Something pushed everywhere at once");
        await page.getByLabel("Hypothesis confidence").fill("40");
        await audit.check("investigation, hypothesis form open");
        await page.getByRole("button", { name: "Save hypothesis" }).click();
        await expect(page.locator(".hyp")).toHaveCount(1);
        await write(page, {
          reasoning: "Everything failed in the same minute: a global push.",
          uncertainty: "Whether the kill switch works.",
          commitment: "Pull the kill switch.",
          confidence: 60,
        });
        await audit.check("investigation, mid-way, answer written");
        await commit(page);
        await selfReview(page);
        await page.getByRole("button", { name: "Get feedback" }).click();
        await expect(page.locator(".feedback-card .score").first()).toContainText(/The evaluator's verdicts score \d+ %/, { timeout: 15_000 });
        await audit.check("investigation, committed, with feedback");
        audit.done();
      });
    });
  }
}
