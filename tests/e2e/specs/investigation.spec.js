// An investigation in the built site (issue 9): the incident clock, evidence asked for and
// injects arriving, hypotheses revised on a timeline, commit, the rubric with the verdicts the site
// decides from the path, and the evaluator's feedback on the path — by keyboard alone, on a wide
// screen (answer beside the evidence) and on a 360 px phone (tabs). Then the room (the game
// master) against the mock provider, a reload in the middle of an investigation, and an attempt
// saved by the site before investigations existed.
import { test, expect, siteIndex, ready, tabTo, MOCK, storedEntries } from "./fixtures.js";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const DIST = resolve(process.env.LEAP_DIST ?? "../../dist");
const index = siteIndex();
const scenario =
  index.scenarios.find((s) => s.slug === "edge-cpu-regex" && s.investigation) ?? index.scenarios.find((s) => s.investigation);
const path = `scenarios/${scenario.pack}/${scenario.slug}/`;
const inv = JSON.parse(readFileSync(resolve(DIST, `${path}investigation.json`), "utf8"));
const rubric = JSON.parse(readFileSync(resolve(DIST, `${path}rubric.json`), "utf8"));
const draftKey = `leap:${scenario.pack}:${scenario.id}:draft`;

/** "09:20" + 7 → "09:27". */
function wall(start, minutes) {
  const [h, m] = start.split(":").map(Number);
  const t = (h * 60 + m + minutes) % (24 * 60);
  return `${String(Math.floor(t / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
}

/** The probes to run, in author order, until the clock has passed the first inject: the path. */
function plan() {
  const first = inv.injects[0];
  const steps = [];
  let clock = 0;
  for (const p of inv.probes) {
    clock += p.cost;
    const arrived = inv.injects.filter((i) => i.at <= clock && !steps.some((s) => s.arrived.includes(i)));
    steps.push({ probe: p, clock, arrived });
    if (clock >= first.at) break;
  }
  return steps;
}

const clockOf = (page) => page.getByRole("timer", { name: "Incident clock" });
const menu = (page) => page.getByRole("region", { name: "Evidence you can ask for" });
const soFar = (page) => page.getByRole("region", { name: "Evidence so far" });
const probeButton = (page, p) => menu(page).getByRole("button", { name: `${p.label} (${p.cost} min)`, exact: true });

/** Settings for the mock provider (set up with the mouse: the settings page has its own tests). */
async function useMock(page, key = "sk-proj-ok-0123456789abcdef") {
  await page.goto("settings/");
  await ready(page);
  await page.getByLabel("Provider").selectOption("open-ai");
  await page.getByLabel("Base URL").fill(`${MOCK}/v1`);
  await page.getByLabel("Base URL").blur();
  await page.getByLabel("Model", { exact: true }).fill("gpt-5-mini");
  await page.getByLabel("API key").fill(key);
  await expect(page.locator(".save-state")).toContainText("Saved");
}

async function open(page) {
  await page.goto(path);
  await ready(page);
  await expect(clockOf(page)).toHaveText(/^T\+0 min/);
}

/** Types into the focused field; Playwright's keyboard, nothing else. */
async function typeInto(page, locator, text) {
  await tabTo(page, locator);
  await page.keyboard.type(text);
}

/** The whole investigation by keyboard. `phone` adds what only a phone has: the tabs. */
async function investigateByKeyboard(page, { phone }) {
  await open(page);
  if (phone) {
    // The briefing and the evidence come first; the answer is one tab away.
    await expect(page.getByRole("tab", { name: "Evidence" })).toHaveAttribute("aria-selected", "true");
    expect((await page.locator(".ws-answer").boundingBox()).width).toBeLessThanOrEqual(1);
  } else {
    // Side by side: the editor and the ask are on screen beside the briefing.
    await expect(page.getByRole("tab")).toHaveCount(0);
    await expect(page.getByLabel("Reasoning")).toBeInViewport();
    await expect(page.getByRole("region", { name: "The ask, while you write" })).toBeInViewport();
  }
  await expect(menu(page).getByRole("button")).toHaveCount(inv.probes.length);
  for (const p of inv.probes) await expect(probeButton(page, p)).toBeVisible();
  // The evidence is not on the page until asked for.
  expect(await page.content()).not.toContain(plan()[0].probe.evidence.html);

  for (const [n, step] of plan().entries()) {
    // After the first, go back up from the evidence just read to the menu above it.
    await tabTo(page, probeButton(page, step.probe), { back: n > 0 });
    await page.keyboard.press("Enter");
    // Focus lands on the evidence just revealed; the probe leaves the menu; the clock moves.
    const heading = soFar(page).getByRole("heading", { name: new RegExp(escapeRe(step.probe.label)) });
    await expect(heading).toBeFocused();
    await expect(heading).toContainText(`T+${step.clock} min`);
    await expect(probeButton(page, step.probe)).toHaveCount(0);
    await expect(clockOf(page)).toContainText(`T+${step.clock} min`);
    if (inv.start) await expect(clockOf(page)).toContainText(wall(inv.start, step.clock));
    for (const i of step.arrived) {
      await expect(page.getByRole("status").filter({ hasText: `New at T+${i.at} min: ${i.label}` })).toBeVisible();
      await expect(soFar(page).getByRole("heading", { name: new RegExp(escapeRe(i.label)) })).toContainText(`T+${i.at} min`);
    }
  }
  const steps = plan();
  const clock = steps[steps.length - 1].clock;
  // Injects sit at their own times among the evidence: the timeline is in simulated time.
  const times = await soFar(page).locator(".evidence-block h4 .ev-at").allInnerTexts();
  const minutes = times.map((t) => Number(t.match(/T\+(\d+)/)[1]));
  expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
  expect(steps.some((s) => s.arrived.length > 0)).toBe(true);

  // A hypothesis, added then revised; its first version stays on the timeline.
  await tabTo(page, page.getByRole("button", { name: "Add hypothesis" }));
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Hypothesis", { exact: true })).toBeFocused();
  await page.keyboard.type("A global push, not an attack");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Hypothesis confidence")).toBeFocused();
  for (let i = 0; i < 2; i++) await page.keyboard.press("ArrowRight");
  await tabTo(page, page.getByRole("button", { name: "Save hypothesis" }));
  await page.keyboard.press("Enter");
  const line = page.locator(".hyp").first();
  await expect(line).toContainText("H1 A global push, not an attack 60 %");
  await expect(line.getByRole("button", { name: "Revise" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Hypothesis", { exact: true })).toHaveValue("A global push, not an attack");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("The WAF rule push, not the DNS change");
  await page.keyboard.press("Tab");
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  await tabTo(page, page.getByRole("button", { name: "Save revision" }));
  await page.keyboard.press("Enter");
  await expect(line).toContainText(`H1 The WAF rule push, not the DNS change 80 % since T+${clock} min`);
  await expect(line.getByRole("list", { name: "Earlier versions of hypothesis 1" })).toContainText("60 % · A global push, not an attack");

  // Quote a piece of evidence into the answer, then write the rest.
  const firstBlock = soFar(page).getByRole("article", { name: new RegExp(escapeRe(steps[0].probe.label)) });
  await tabTo(page, firstBlock.getByRole("button", { name: "Quote into answer" }), { back: true });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Quoted into Reasoning" })).toBeVisible();
  await expect(page.getByLabel("Reasoning")).toHaveValue(new RegExp(`^> .*\\n[\\s\\S]*> — ${escapeRe(steps[0].probe.label)}, T\\+${steps[0].clock} min\\n\\n$`));
  if (phone) await expect(page.getByRole("tab", { name: "Evidence" })).toHaveAttribute("aria-selected", "true");
  await tabTo(page, page.getByLabel("Reasoning"));
  if (phone) await expect(page.getByRole("tab", { name: "Your answer" })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("Every region failed in the same minute: the WAF rule push, whose regex backtracks.");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Whether the kill switch works while CPU is pegged.");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Pull the global WAF kill switch through break-glass now.");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Confidence", { exact: true })).toBeFocused();
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  await tabTo(page, page.getByRole("button", { name: "Commit", exact: true }));
  await page.keyboard.press("Enter");

  // Committed: focus on the rubric that appeared (issue 10 point 4; it was the attempt's heading),
  // the clock stopped, the site's verdicts.
  await expect(page.getByRole("heading", { name: /^Attempt 1 · committed/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeFocused();
  await expect(page.locator(".frozen-note")).toHaveText(`Committed at T+${clock} min: this investigation is frozen. It is shown as it was.`);
  await expect(menu(page)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add hypothesis" })).toHaveCount(0);
  const decided = rubric.criteria.filter((c) => c.rule);
  await expect(page.locator(".criterion-decided")).toHaveCount(decided.length);
  await expect(page.locator(".criterion")).toHaveCount(rubric.criteria.length - decided.length);
  for (const c of decided) {
    const [kind, arg] = c.rule.split(":");
    const expected =
      kind === "acted-by" ? (clock <= Number(arg) ? "Caught" : clock <= 2 * Number(arg) ? "Partly caught" : "Missed")
      : kind === "avoided" ? (steps.some((s) => s.probe.id === arg) ? "Missed" : "Caught")
      : kind === "looked-at" ? (steps.some((s) => s.probe.id === arg) ? "Caught" : "Missed")
      : steps[0].probe.id === arg ? "Caught" : steps.some((s) => s.probe.id === arg) ? "Partly caught" : "Missed";
    await expect(page.locator(".criterion-decided").filter({ hasText: c.insight.markdown.slice(0, 40) })).toContainText(
      `Decided by the site from your path: ${expected}`,
    );
  }
  await expect(page.getByRole("region", { name: "Your path and a senior's" })).toContainText(`${steps[0].probe.label} (T+${steps[0].clock} min)`);
  // The attempt froze the log, the site's verdicts and the probes' labels; the draft is gone.
  // Attempts live in IndexedDB; the write reaches it just after the page shows the attempt.
  const attemptPrefix = `leap:${scenario.pack}:${scenario.id}:attempt:`;
  await expect.poll(async () => Object.keys(await storedEntries(page)).filter((k) => k.startsWith(attemptPrefix))).toHaveLength(1);
  const stored = JSON.parse(Object.entries(await storedEntries(page)).find(([k]) => k.startsWith(attemptPrefix))[1]);
  expect(stored.log.events.at(-1)).toEqual({ type: "committed", at: clock });
  expect(stored.probe_labels[steps[0].probe.id]).toBe(steps[0].probe.label);
  expect(Object.keys(stored.decided).sort()).toEqual(decided.map((c) => c.id).sort());
  expect(await page.evaluate((k) => localStorage.getItem(k), draftKey)).toBeNull();

  // The self-review covers the rest, by keyboard: each criterion's radios take arrow keys.
  const boxes = page.locator(".criterion");
  for (let i = 0; i < (await boxes.count()); i++) {
    await tabTo(page, boxes.nth(i).getByLabel("Caught", { exact: true }));
    await page.keyboard.press("Space");
  }
  await expect(page.locator(".rubric .score")).toContainText("Your self-review:");

  // The evaluator's feedback speaks about the path.
  await tabTo(page, page.getByRole("button", { name: "Get feedback" }));
  const request = page.waitForRequest((r) => r.url().startsWith(MOCK) && r.method() === "POST");
  await page.keyboard.press("Enter");
  const sent = JSON.parse((await request).postData());
  const user = sent.messages.filter((m) => m.role === "user").map((m) => m.content).join("\n");
  expect(user).toContain("## Investigation log");
  expect(user).toContain(`T+${steps[0].clock} probe: ${steps[0].probe.label}`);
  expect(user).toMatch(/hypothesis 1 revised \(80 %\): .*The WAF rule push, not the DNS change/);
  expect(user).toContain(`T+${clock} committed`);
  const card = page.locator(".feedback-card");
  await expect(card).toHaveCount(1, { timeout: 10_000 });
  await expect(card).toContainText(steps[0].probe.label);
  await expect(card.locator(".fb-decided")).toHaveCount(decided.length);
}

for (const phone of [false, true]) {
  test.describe(phone ? "on a 360 px phone" : "on a wide screen", () => {
    if (phone) test.use({ viewport: { width: 360, height: 740 } });

    test("an investigation end to end by keyboard alone: probes, an inject, a hypothesis revised, commit, rubric, feedback on the path", async ({ page }) => {
      test.setTimeout(90_000);
      await useMock(page);
      await investigateByKeyboard(page, { phone });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone ? 360 : 100_000);
    });
  });
}

test("the room answers from the scenario against the mock: it runs the probe that answers and charges its time", async ({ page }) => {
  await useMock(page);
  await open(page);
  // The mock names the first probe whose label shares a word of five letters or more with the
  // question: ask with a word only that probe's label has among those before it.
  const words = (text) => new Set(text.toLowerCase().match(/[a-z]+/g).filter((w) => w.length >= 5));
  let probe, word;
  for (const [i, p] of inv.probes.entries()) {
    const earlier = new Set(inv.probes.slice(0, i).flatMap((q) => [...words(q.label)]));
    word = [...words(p.label)].find((w) => !earlier.has(w));
    if (word) {
      probe = p;
      break;
    }
  }
  const ask = page.getByLabel("Ask the room");
  await ask.fill(`Any news on the ${word}?`);
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  const exchange = soFar(page).locator(".ev-asked");
  await expect(exchange).toHaveCount(1);
  await expect(exchange).toContainText("You asked the room:");
  await expect(exchange).toContainText(`The room ran this for you: ${probe.label}.`);
  await expect(exchange.getByRole("heading")).toBeFocused();
  await expect(clockOf(page)).toContainText(`T+${probe.cost} min`);
  await expect(probeButton(page, probe)).toHaveCount(0);
  await expect(soFar(page).getByRole("heading", { name: new RegExp(escapeRe(probe.label)) })).toBeVisible();
  // The room's answer is quotable too, and the quote says it came from the room.
  await exchange.getByRole("button", { name: "Quote into answer" }).click();
  await expect(page.getByLabel("Reasoning")).toHaveValue(/> — The room, T\+0 min\n\n$/);

  // A question nobody on the call can answer costs nothing and reveals nothing.
  await ask.fill("Zzzzz qqqqq?");
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  await expect(exchange).toHaveCount(2);
  await expect(exchange.nth(1)).toContainText("Nobody on the call knows that.");
  await expect(clockOf(page)).toContainText(`T+${probe.cost} min`);

  // Both exchanges are in the draft's log, so a reload keeps them.
  const log = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), draftKey)).log;
  expect(log.events.filter((e) => e.type === "asked").map((e) => e.probe ?? null)).toEqual([probe.id, null]);
});

test("without an evaluator the probe menu works offline, and there is no box to ask the room", async ({ page }) => {
  await open(page);
  await expect(page.getByLabel("Ask the room")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "The people on the call" })).toContainText("works offline, with no key");
  await probeButton(page, inv.probes[0]).click();
  await expect(clockOf(page)).toContainText(`T+${inv.probes[0].cost} min`);
});

test("a reload in the middle of an investigation resumes it exactly", async ({ page }) => {
  await open(page);
  const [a, b] = inv.probes;
  await probeButton(page, a).click();
  await probeButton(page, b).click();
  await page.getByRole("button", { name: "Wait 5 min" }).click();
  await page.getByRole("button", { name: "Add hypothesis" }).click();
  await page.getByLabel("Hypothesis", { exact: true }).fill("Something pushed everywhere at once");
  await page.getByLabel("Hypothesis confidence").fill("40");
  await page.getByRole("button", { name: "Save hypothesis" }).click();
  await page.getByLabel("Reasoning").fill("Half a thought");
  const clock = a.cost + b.cost + 5;
  await expect(clockOf(page)).toContainText(`T+${clock} min`);
  const timeline = soFar(page).locator(".timeline");
  const before = await timeline.innerText();
  await page.reload();
  await ready(page);
  await expect(clockOf(page)).toContainText(`T+${clock} min`);
  expect(await timeline.innerText()).toBe(before);
  await expect(probeButton(page, a)).toHaveCount(0);
  await expect(probeButton(page, b)).toHaveCount(0);
  await expect(menu(page).getByRole("button")).toHaveCount(inv.probes.length - 2);
  await expect(page.locator(".hyp")).toContainText(`H1 Something pushed everywhere at once 40 % since T+${clock} min`);
  await expect(page.getByLabel("Reasoning")).toHaveValue("Half a thought");
  const events = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), draftKey)).log.events;
  expect(events.filter((e) => e.type === "probe").map((e) => e.id)).toEqual([a.id, b.id]);
  expect(events.some((e) => e.type === "waited" && e.minutes === 5)).toBe(true);
});

test("an attempt saved before investigations (schema 2) opens as it was, and the next attempt investigates", async ({ page }) => {
  const v2 = JSON.parse(readFileSync(resolve("../fixtures/storage/v2/attempt.json"), "utf8"));
  await page.goto("data/index.json");
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key, value),
    [`leap:${scenario.pack}:${scenario.id}:attempt:${v2.id}`, JSON.stringify(v2)],
  );
  await page.goto(path);
  await ready(page);
  await expect(page.getByRole("alert").filter({ hasText: "could not be read" })).toHaveCount(0);
  // No draft: the page opens on the last attempt, as before.
  await expect(page.getByRole("heading", { name: /^Attempt 1 · committed/ })).toBeVisible();
  await expect(page.locator(".frozen")).toContainText(v2.answer.reasoning);
  await expect(page.locator(".frozen-note")).toHaveText("This attempt has no investigation log: it was made before this scenario became an investigation.");
  // Its rubric is the one it was reviewed against: nothing is decided after the fact.
  await expect(page.locator(".criterion-decided")).toHaveCount(0);
  await expect(page.locator(".rubric .score")).toContainText("Your self-review:");
  const card = page.locator(".feedback-card");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(v2.feedback[0].grade.overall);
  await expect(page.locator(".history li")).toHaveCount(1);

  await page.getByRole("button", { name: "Try again" }).click();
  await expect(clockOf(page)).toHaveText(/^T\+0 min/);
  await probeButton(page, inv.probes[0]).click();
  await page.getByLabel("Reasoning").fill("Second try, with evidence.");
  await page.getByLabel("Commitment").fill("Kill switch.");
  await page.getByLabel("Confidence", { exact: true }).fill("60");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("heading", { name: /^Attempt 2 · committed/ })).toBeVisible();
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  await expect(page.locator(".compare")).toContainText("Attempt 1 and attempt 2");
  await expect(page.locator(".compare")).toContainText(v2.answer.reasoning);
  const stored = JSON.parse((await storedEntries(page))[`leap:${scenario.pack}:${scenario.id}:attempt:${v2.id}`]);
  expect(stored.review).toEqual(v2.review);
  expect(stored.feedback).toEqual(v2.feedback);
});

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("leaving by a link right after a step and a keystroke saves both, and nothing is left running", async ({ page }) => {
  // Playwright's clock holds the autosave timer: it fires only after the section is gone.
  await page.clock.install({ time: new Date("2027-03-01T09:00:00").getTime() });
  await open(page);
  await probeButton(page, inv.probes[0]).click();
  await page.getByLabel("Reasoning").click();
  await page.keyboard.type("typed and leaving");
  await page.getByRole("banner").getByRole("link", { name: "Progress" }).click();
  await expect(page.locator("h1")).toHaveText("Your progress");
  const draft = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), draftKey));
  expect(draft.answer.reasoning).toBe("typed and leaving");
  expect(draft.log.events.map((e) => e.type)).toContain("probe");
  // The timer set by the last keystroke now finds nothing to save; the page stays alive.
  await page.clock.runFor(2000);
  await page.goBack();
  await expect(page.getByLabel("Reasoning")).toHaveValue("typed and leaving");
  await expect(clockOf(page)).toContainText(`T+${inv.probes[0].cost} min`);
});

test("progress shows how the learner investigated: first hypothesis, probes against the senior's, commit time, confidence", async ({ page }) => {
  await open(page);
  const [a] = inv.probes;
  await probeButton(page, a).click();
  await page.getByRole("button", { name: "Add hypothesis" }).click();
  await page.getByLabel("Hypothesis", { exact: true }).fill("Something pushed everywhere at once");
  await page.getByLabel("Hypothesis confidence").fill("40");
  await page.getByRole("button", { name: "Save hypothesis" }).click();
  await page.getByLabel("Reasoning").fill("A push reached every site at once.");
  await page.getByLabel("Commitment").fill("Roll it back.");
  await page.getByLabel("Confidence").fill("60");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  await page.goto("progress/");
  await ready(page);
  const section = page.getByRole("region", { name: "How you investigate" });
  await expect(section).toBeVisible();
  const row = section.locator("tbody tr").first();
  await expect(row).toContainText(`T+${a.cost} min`);
  await expect(row).toContainText("40 % at T+");
});
