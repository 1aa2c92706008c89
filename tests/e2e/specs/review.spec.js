// The review queue in the built site, through simulated days (Playwright's clock): what a learner
// missed comes back the next day, the header counts what is due on every page, grading schedules
// it (SM-2: a day, then six), "Forgot" brings it back the same day, and the queue survives export
// and import. The page fits a phone and has no accessibility violations.
import { test, expect, siteIndex, ready } from "./fixtures.js";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const index = siteIndex();
// An analysis scenario: its self-review decides every criterion.
const scenario = index.scenarios.find((s) => !s.investigation);
const path = `scenarios/${scenario.pack}/${scenario.slug}/`;
const QUEUE_KEY = "leap:review";

const DAY = 24 * 60 * 60 * 1000;
// 09:00 on a Monday, in the browser's time zone.
const DAY0 = new Date("2027-03-01T09:00:00").getTime();
const at = (days, minutes = 0) => DAY0 + days * DAY + minutes * 60 * 1000;

const reviewLink = (page) => page.getByRole("banner").getByRole("link", { name: /^Review/ });
const queue = async (page) => JSON.parse(await page.evaluate((k) => localStorage.getItem(k), QUEUE_KEY));

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
async function violations(page) {
  // Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function open(page, where) {
  await page.goto(where);
  await ready(page);
}

/** Commits an analysis and self-reviews it; returns how many criteria were missed or half-caught. */
async function attemptWithMisses(page) {
  await open(page, path);
  await page.getByLabel("Reasoning").fill("A slow dependency, probably; the dashboards are noisy.");
  await page.getByLabel("Uncertainty").fill("Whether it is the deploy.");
  await page.getByLabel("Commitment").fill("Roll back and watch.");
  await page.getByLabel("Confidence").fill("70");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  const verdicts = ["Missed", "Partly caught", "Caught"];
  const boxes = page.locator(".criterion");
  const n = await boxes.count();
  expect(n).toBeGreaterThanOrEqual(2);
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const v = verdicts[i % verdicts.length];
    await boxes.nth(i).getByLabel(v, { exact: true }).check();
    if (v !== "Caught") misses++;
  }
  await expect(page.locator(".score")).toContainText("Your self-review:");
  return misses;
}

/** Works through the due cards, answering each with `grade(i)`; checks focus and progress. */
async function drill(page, total, grade) {
  for (let i = 1; i <= total; i++) {
    const heading = page.locator("#drill-title");
    await expect(page.locator(".drill-meta")).toContainText(`Card ${i} of ${total}`);
    await expect(heading).toHaveText(scenario.title);
    await expect(page.locator(".drill-question")).toHaveText("What is the failure mode here, and what would a senior do first?");
    await page.getByRole("button", { name: "Show the answer" }).click();
    await expect(page.getByRole("heading", { name: "What a senior sees" })).toBeFocused();
    const answer = grade(i);
    await page.getByRole("group", { name: "How well did it come back?" }).getByRole("button", { name: answer, exact: true }).click();
    if (i < total) await expect(page.locator("#drill-title")).toBeFocused();
  }
}

test("what you missed comes back the next day, and is scheduled by how well it came back", async ({ page }) => {
  test.setTimeout(120_000);
  await page.clock.install({ time: DAY0 });

  // Day 0. Nothing yet.
  await open(page, "review/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review");
  await expect(page.getByRole("heading", { name: "Nothing to review yet" })).toBeVisible();
  await expect(page.locator(".review-empty")).toContainText("Cards appear when you miss a criterion");
  expect(await violations(page)).toEqual([]);

  const misses = await attemptWithMisses(page);
  // Nothing is due the day of the miss: a drill the same day tests short-term memory.
  await reviewLink(page).click();
  await expect(page.getByRole("heading", { name: "Nothing due" })).toBeVisible();
  await expect(page.locator(".review-empty")).toContainText(
    `Nothing to review right now. ${misses} cards scheduled; the next is due tomorrow.`,
  );
  await expect(reviewLink(page)).toHaveAccessibleName("Review");
  const made = await queue(page);
  expect(made.v).toBe(1);
  expect(made.cards).toHaveLength(misses);
  expect(made.made_from).toHaveLength(1);
  // Opening the page again makes no new cards from the same attempt.
  await open(page, "review/");
  expect((await queue(page)).cards).toHaveLength(misses);
  expect(await violations(page)).toEqual([]);

  // Day 1, a minute before the time of day they were made: due all day all the same. The header
  // counts them on every page, the catalog's included.
  await page.clock.setSystemTime(at(1, -1));
  await open(page, "./");
  await expect(reviewLink(page)).toHaveAccessibleName(`Review, ${misses} due`);
  await expect(reviewLink(page)).toHaveAttribute("data-due", String(misses));
  await reviewLink(page).click();
  await ready(page);
  await expect(page.getByRole("status").filter({ hasText: `${misses} cards due.` })).toBeVisible();
  const first = page.locator(".drill");
  await expect(first.locator(".drill-artifact a")).toHaveAttribute("href", new RegExp(`^${path}#`));
  await page.getByRole("button", { name: "Show the answer" }).click();
  expect(await violations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await violations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "light" });
  await page.reload();
  await ready(page);
  await drill(page, misses, () => "Got it");
  await expect(page.getByRole("heading", { name: "Done for now" })).toBeFocused();
  await expect(page.getByRole("status")).toContainText("That was the last card due.");
  await expect(page.locator(".review-empty")).toContainText("the next is due tomorrow");
  // When the minute the cards were made comes round, nothing "comes back": they were due already.
  await page.clock.fastForward("02:00");
  await expect(page.getByRole("status")).toContainText("That was the last card due.");
  await expect(reviewLink(page)).toHaveAccessibleName("Review");
  expect((await queue(page)).cards.map((c) => c.interval_days)).toEqual(Array(misses).fill(1));

  // Day 2: due again. "Got it" a second time means six days; "Forgot" means later today.
  await page.clock.setSystemTime(at(2));
  await open(page, "review/");
  await expect(reviewLink(page)).toHaveAccessibleName(`Review, ${misses} due`);
  await drill(page, misses, (i) => (i === 1 ? "Forgot" : "Got it"));
  await expect(page.getByRole("status")).toContainText("back in 6 days");
  await expect(page.locator(".review-empty")).toContainText("the next is due later today");
  const day2 = await queue(page);
  expect(day2.cards.map((c) => c.interval_days).sort()).toEqual([0, ...Array(misses - 1).fill(6)]);
  expect(day2.cards.find((c) => c.interval_days === 0).lapses).toBe(1);
  // Ten minutes later the forgotten card is back, without a reload.
  await page.clock.fastForward("10:30");
  await expect(page.getByRole("status")).toHaveText("A card you forgot is due again.");
  await expect(page.locator(".drill-meta")).toContainText(`Card ${misses + 1} of ${misses + 1}`);
  await page.getByRole("button", { name: "Show the answer" }).click();
  await page.getByRole("button", { name: "Got it", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Done for now" })).toBeFocused();

  // Day 7: only the forgotten card (back after a day); day 8: the rest, six days on.
  await page.clock.setSystemTime(at(7));
  await open(page, "how-it-works/");
  await expect(reviewLink(page)).toHaveAccessibleName("Review, 1 due");
  await page.clock.setSystemTime(at(8, 5));
  await open(page, "progress/");
  await expect(reviewLink(page)).toHaveAccessibleName(`Review, ${misses} due`);

  // Export, delete everything, import: the queue comes back as it was.
  const before = await queue(page);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const exported = await readFile(await (await download).path());
  const file = JSON.parse(exported.toString());
  expect(file.review.v).toBe(1);
  expect(file.review.cards).toEqual(before.cards);
  await page.getByRole("button", { name: "Delete my data" }).click();
  await page.getByRole("button", { name: "Delete everything" }).click();
  expect(await queue(page)).toBeNull();
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await (await chooser).setFiles({ name: "export.json", mimeType: "application/json", buffer: exported });
  await expect(page.getByRole("status").filter({ hasText: `${misses} review cards were added to your review queue.` })).toBeVisible();
  expect(await queue(page)).toEqual(before);
  await open(page, "review/");
  await expect(reviewLink(page)).toHaveAccessibleName(`Review, ${misses} due`);
  await expect(page.locator(".drill-meta")).toContainText(`Card 1 of ${misses}`);
  // The imported attempt made its cards already: nothing is made twice.
  expect((await queue(page)).cards).toHaveLength(misses);
});

test("the header's Review link is the same before and after the app takes over", async ({ page }) => {
  await open(page, "./");
  const link = reviewLink(page);
  await expect(link).toHaveAccessibleName("Review");
  await expect(link).toHaveAttribute("href", "review/");
  await open(page, "review/");
  await expect(link).toHaveAttribute("aria-current", "page");
  await expect(page).toHaveTitle(`Review — ${index.title}`);
});

test("leaving the scenario page right after the self-review makes its cards; a phone fits the drill", async ({ page }) => {
  await page.clock.install({ time: DAY0 });
  const misses = await attemptWithMisses(page);
  // Straight to the catalog, another bundle's page: the cards are made as the scenario page goes.
  await page.getByRole("banner").getByRole("link", { name: "Scenarios" }).click();
  await ready(page);
  const made = await queue(page);
  expect(made.cards).toHaveLength(misses);
  expect(made.cards.every((c) => c.created_at < at(0, 10))).toBe(true);

  await page.clock.setSystemTime(at(1));
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page, "./");
  await expect(reviewLink(page)).toHaveAccessibleName(`Review, ${misses} due`);
  await reviewLink(page).click();
  await ready(page);
  await page.getByRole("button", { name: "Show the answer" }).click();
  await expect(page.getByRole("button", { name: "Easy", exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await violations(page)).toEqual([]);
});

test("the practice loop makes the cards the moment the self-review completes, and the header's count follows without a page change", async ({ page }) => {
  test.setTimeout(90_000);
  await page.clock.install({ time: DAY0 });
  const misses = await attemptWithMisses(page);
  // Still on the scenario page, nothing navigated: the cards are in the queue already.
  await expect.poll(async () => (await queue(page))?.cards?.length).toBe(misses);
  expect((await queue(page)).made_from).toHaveLength(1);

  // Day 1: they are due. Trying the scenario again and missing the first criterion again starts
  // that card over (due tomorrow): the header says so at once.
  await page.clock.setSystemTime(at(1));
  await open(page, path);
  await expect(reviewLink(page)).toHaveAccessibleName(`Review, ${misses} due`);
  await page.getByRole("button", { name: "Try again" }).click();
  await page.getByLabel("Reasoning").fill("The same dashboards again.");
  await page.getByLabel("Uncertainty").fill("The deploy.");
  await page.getByLabel("Commitment").fill("Roll back.");
  await page.getByLabel("Confidence").fill("60");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  const boxes = page.locator(".criterion");
  const n = await boxes.count();
  for (let i = 0; i < n; i++) await boxes.nth(i).getByLabel(i === 0 ? "Missed" : "Caught", { exact: true }).check();
  const left = misses - 1;
  await expect(reviewLink(page)).toHaveAccessibleName(left === 0 ? "Review" : `Review, ${left} due`);
  const q = await queue(page);
  expect(q.made_from).toHaveLength(2);
  expect(q.cards).toHaveLength(misses);
  // The card missed again was made anew today; the others keep yesterday's schedule.
  expect(q.cards.filter((c) => c.created_at >= at(1))).toHaveLength(1);
});

test("a grading by the evaluator makes its cards as soon as it arrives", async ({ page }) => {
  const { MOCK } = await import("./fixtures.js");
  await page.clock.install({ time: DAY0 });
  await open(page, "settings/");
  await page.getByLabel("Provider").selectOption("ollama");
  await page.getByLabel("Base URL").fill(MOCK);
  await page.getByLabel("Base URL").blur();
  await page.getByLabel("Model", { exact: true }).fill("qwen3:8b");
  await expect(page.locator(".save-state")).toContainText("Saved");
  await open(page, path);
  await page.getByLabel("Reasoning").fill("A slow dependency, probably; the dashboards are noisy.");
  await page.getByLabel("Uncertainty").fill("Whether it is the deploy.");
  await page.getByLabel("Commitment").fill("Roll back and watch.");
  await page.getByLabel("Confidence").fill("70");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Get feedback" }).click();
  await expect(page.locator(".feedback-card")).toHaveCount(1, { timeout: 10_000 });
  // No self-review, no page change: the grading alone made the cards, one per criterion it did
  // not find caught.
  const graded = page.locator(".feedback-card .fb-criterion");
  const n = await graded.count();
  expect(n).toBeGreaterThan(0);
  const notCaught = n - (await graded.filter({ has: page.locator(".verdict-badge.caught") }).count());
  await expect.poll(async () => (await queue(page))?.made_from?.length).toBe(2);
  const q = await queue(page);
  expect(q.made_from[1]).toMatch(new RegExp(`^${q.made_from[0]}#`));
  expect(q.cards).toHaveLength(notCaught);
});
