// The practice loop in the built site: writing, autosave and every storage outcome the issue
// defines, commit and the rubric, self-review, retry, compare, progress, export and import.
import { test, expect, siteIndex, ready, refuseStorage } from "./fixtures.js";
import { readFile } from "node:fs/promises";

const index = siteIndex();
const scenario = index.scenarios.find((s) => s.slug === "edge-cpu-regex") ?? index.scenarios[0];
const path = `scenarios/${scenario.pack}/${scenario.slug}/`;
const draftKey = `leap:${scenario.pack}:${scenario.id}:draft`;

async function open(page, where = path) {
  await page.goto(where);
  await ready(page);
}

async function write(page, { reasoning, uncertainty, commitment, confidence }) {
  if (reasoning !== undefined) await page.getByLabel("Reasoning").fill(reasoning);
  if (uncertainty !== undefined) await page.getByLabel("Uncertainty").fill(uncertainty);
  if (commitment !== undefined) await page.getByLabel("Commitment").fill(commitment);
  if (confidence !== undefined) await page.getByLabel("Confidence").fill(String(confidence));
}

async function commit(page) {
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
}

async function review(page, verdicts) {
  const boxes = page.locator(".criterion");
  const n = await boxes.count();
  for (let i = 0; i < n; i++) await boxes.nth(i).getByLabel(verdicts[i % verdicts.length], { exact: true }).check();
}

const stored = (page, key = draftKey) => page.evaluate((k) => localStorage.getItem(k), key);

test("a reload one keystroke after typing loses nothing", async ({ page }) => {
  await open(page);
  await page.getByLabel("Reasoning").click();
  await page.keyboard.type("Every PoP failed in the same minute");
  // No pause for the autosave delay: the reload itself must save.
  await page.reload();
  await ready(page);
  await expect(page.getByLabel("Reasoning")).toHaveValue("Every PoP failed in the same minute");
  await expect(page.locator(".save-state")).toContainText("Saved in this browser");
});

test("closing the tab right after typing loses nothing", async ({ page, context }) => {
  await open(page);
  await page.getByLabel("Commitment").click();
  await page.keyboard.type("Pull the WAF kill switch");
  await page.close({ runBeforeUnload: true });
  const again = await context.newPage();
  await open(again);
  await expect(again.getByLabel("Commitment")).toHaveValue("Pull the WAF kill switch");
});

/**
 * Both tabs edit, tab one first: tab two must still hold unsaved text when tab one's save
 * arrives, so both edits have to fall within one autosave delay (400 ms). A loaded machine can
 * take longer between them; then tab two simply adopted or saved, and the edits are made again.
 */
async function collide(page, other, mine, theirs) {
  const conflict = other.getByRole("alert").filter({ hasText: "changed in another tab" });
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.getByLabel("Reasoning").fill(mine);
    await other.getByLabel("Reasoning").fill(theirs);
    if (await conflict.waitFor({ timeout: 3000 }).then(() => true, () => false)) return;
  }
}

test("two tabs: the other tab sees the change, and newer text is never silently overwritten", async ({ page, context }) => {
  await open(page);
  const other = await context.newPage();
  await open(other);
  await write(page, { reasoning: "written in tab one" });
  await expect(page.locator(".save-state")).toContainText("Saved");
  // The second tab had no unsaved text: it adopts the first tab's.
  await expect(other.getByLabel("Reasoning")).toHaveValue("written in tab one");

  // Both tabs now edit. Tab one saves first; tab two's save must not overwrite it.
  await collide(page, other, "tab one, newer", "tab two, unsaved");
  await expect(page.locator(".save-state")).toContainText("Saved");
  await expect(other.getByRole("alert").filter({ hasText: "changed in another tab" })).toBeVisible();
  expect(JSON.parse(await stored(page)).answer.reasoning).toBe("tab one, newer");

  // Tab two chooses the other text; its own stays visible to copy from.
  await other.getByRole("button", { name: "Use the other tab's text" }).click();
  await expect(other.getByLabel("Reasoning")).toHaveValue("tab one, newer");
  await other.getByText("Your text from this tab").click();
  await expect(other.locator(".stash")).toContainText("tab two, unsaved");

  // Or keeps its own, explicitly.
  await collide(page, other, "tab one again", "tab two insists");
  await expect(other.getByRole("button", { name: "Keep this tab's text" })).toBeVisible();
  await other.getByRole("button", { name: "Keep this tab's text" }).click();
  await expect(other.locator(".save-state")).toContainText("Saved");
  expect(JSON.parse(await stored(page)).answer.reasoning).toBe("tab two insists");
});

test("a full storage is reported at once, the text stays, export is offered, nothing saved is damaged", async ({ page }) => {
  await open(page);
  await write(page, { reasoning: "saved before the disk filled" });
  await expect(page.locator(".save-state")).toContainText("Saved");
  const before = await stored(page);
  // Fill the origin's quota with junk, to the last character.
  await page.evaluate(() => {
    let size = 1024 * 1024;
    let i = 0;
    while (size >= 1) {
      try {
        localStorage.setItem(`junk-${i++}`, "x".repeat(size));
      } catch {
        size = Math.floor(size / 2);
      }
    }
  });
  await page.getByLabel("Reasoning").fill("saved before the disk filled, and this long new paragraph that cannot fit ".repeat(200));
  await expect(page.locator(".save-state")).toHaveText("Not saved: storage is full");
  await expect(page.getByRole("alert").filter({ hasText: "Storage is full" })).toBeVisible();
  await expect(page.getByLabel("Reasoning")).toHaveValue(/this long new paragraph/);
  expect(await stored(page)).toBe(before);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const file = JSON.parse(await readFile(await (await download).path(), "utf8"));
  const mine = file.scenarios.find((s) => s.scenario === scenario.id);
  expect(mine.draft.answer.reasoning).toContain("this long new paragraph");
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("junk-")).forEach((k) => localStorage.removeItem(k)));
});

test("a corrupt or unknown-version entry is set aside, the app still starts, the learner is told", async ({ page }) => {
  // Plant the entries from a page of the same origin that runs no app.
  await page.goto("data/index.json");
  await page.evaluate((key) => {
    localStorage.setItem(key, "{ this is not json");
    localStorage.setItem(key.replace(":draft", ":attempt:future"), JSON.stringify({ v: 99, id: "future" }));
  }, draftKey);
  await open(page);
  const notice = page.getByRole("alert").filter({ hasText: "could not be read" });
  await expect(notice).toContainText("kept aside");
  await expect(notice).toContainText(draftKey);
  await expect(notice).toContainText("schema 99");
  expect(await stored(page, `leap:aside:${draftKey}`)).toBe("{ this is not json");
  expect(await stored(page)).toBeNull();
  await write(page, { reasoning: "still works" });
  await expect(page.locator(".save-state")).toContainText("Saved");
  // The progress page keeps saying so, and exports carry the entries.
  await open(page, "progress/");
  await expect(page.getByRole("status").filter({ hasText: "2 saved entries could not be read" })).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const file = JSON.parse(await readFile(await (await download).path(), "utf8"));
  expect(file.set_aside.map((e) => e.key).sort()).toEqual([draftKey.replace(":draft", ":attempt:future"), draftKey]);
});

test.describe("when the browser refuses storage", () => {
  test.beforeEach(({ page }) => refuseStorage(page));

  test("the app works for the session and says so", async ({ page }) => {
    await open(page);
    await expect(page.getByRole("alert").filter({ hasText: "not letting the site store data" })).toBeVisible();
    await write(page, { reasoning: "r", commitment: "c", confidence: 40 });
    await expect(page.locator(".save-state")).toContainText("Kept for this tab only");
    await commit(page);
    await expect(page.locator(".criterion").first()).toBeVisible();
  });
});

test("export, import and the brag document are loaded only when pressed, and once", async ({ page }) => {
  // They are a bundle of their own (yourdata-<hash>.js and its wasm): a visit to Progress that
  // presses none of them does not download it.
  const seen = [];
  page.on("request", (r) => seen.push(new URL(r.url()).pathname));
  const files = () => seen.filter((p) => /\/yourdata-[0-9a-f]+(\.js|_bg\.wasm)$/.test(p));
  await open(page, "progress/");
  await expect(page.locator("p.empty")).toContainText("No finished attempts");
  await page.waitForTimeout(300);
  expect(files()).toEqual([]);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const exported = await readFile(await (await download).path(), "utf8");
  expect(JSON.parse(exported).format).toBe("senior-leap-export");
  await expect(page.getByRole("status").filter({ hasText: "Exported to senior-leap-" })).toBeVisible();
  const brag = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export brag document" }).click();
  expect((await brag).suggestedFilename()).toMatch(/^senior-leap-brag-\d{4}-\d{2}-\d{2}\.md$/);
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await (await chooser).setFiles({ name: "x.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
  await expect(page.getByRole("alert")).toContainText("not JSON");
  // Pressed three times, fetched once: its script and its wasm.
  expect(files()).toHaveLength(2);
  expect(files().some((f) => f.endsWith(".js")) && files().some((f) => f.endsWith("_bg.wasm"))).toBe(true);
});

test("importing a bad file gives a precise error and leaves existing data untouched", async ({ page }) => {
  await open(page);
  await write(page, { reasoning: "existing work" });
  await expect(page.locator(".save-state")).toContainText("Saved");
  await open(page, "progress/");
  const snapshot = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
  const cases = [
    ["notes.txt", "hello", /not JSON/],
    ["other.json", '{"name":"something else"}', /not a Senior Leap export/],
    ["newer.json", '{"format":"senior-leap-export","version":7}', /newer version of the site \(file version 7/],
    [
      "damaged.json",
      '{"format":"senior-leap-export","version":1,"scenarios":[{"pack":"core","scenario":"x","draft":null,"attempts":[{"v":1,"id":42}]}]}',
      /damaged at scenarios\[0\]\.attempts\[0\]/,
    ],
  ];
  for (const [name, content, message] of cases) {
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await (await chooser).setFiles({ name, mimeType: "application/json", buffer: Buffer.from(content) });
    await expect(page.getByRole("alert").filter({ hasText: message })).toBeVisible();
  }
  expect(await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()))).toBe(snapshot);
});

test("the whole loop: write, reload, commit, rubric, review, retry, compare, progress, export, clear, import", async ({ page }) => {
  await open(page);
  await write(page, {
    reasoning: "A global config push: every region failed **at once**.",
    uncertainty: "Whether the DNS change matters.",
    commitment: "Kill switch now.",
    confidence: 85,
  });
  await page.getByLabel("Show Markdown preview").check();
  await expect(page.getByLabel("Reasoning, preview").locator("strong")).toHaveText("at once");
  await page.reload();
  await ready(page);
  await expect(page.getByLabel("Uncertainty")).toHaveValue("Whether the DNS change matters.");

  // The rubric is fetched only after the commit.
  const rubricRequests = [];
  page.on("request", (r) => r.url().includes("rubric.json") && rubricRequests.push(r.url()));
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toHaveCount(0);
  expect(rubricRequests).toEqual([]);
  await commit(page);
  expect(rubricRequests.length).toBe(1);
  await review(page, ["Caught", "Partly caught", "Missed"]);
  await expect(page.locator(".score")).toContainText("Your self-review:");
  await page.getByLabel("What I missed and why").fill("I anchored on the attack theory.");
  await page.getByLabel("One thing to carry forward").fill("Read the failure's shape first.");
  const firstScore = await page.locator(".score").textContent();

  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByLabel("Reasoning")).toHaveValue("");
  await write(page, { reasoning: "Second try.", commitment: "Kill switch, then revert.", confidence: 70 });
  await commit(page);
  await review(page, ["Caught"]);
  await expect(page.locator(".score")).toContainText("100 %");

  await page.getByRole("button", { name: "Compare", exact: true }).click();
  const compare = page.locator(".compare");
  await expect(compare).toContainText("Attempt 1 and attempt 2");
  await expect(compare).toContainText("Kill switch now.");
  await expect(compare).toContainText("Kill switch, then revert.");
  await expect(compare.locator("tr", { hasText: "Confidence" })).toContainText("85 %");

  await page.getByRole("link", { name: "Progress" }).click();
  await ready(page);
  await expect(page.locator(".lead")).toContainText("2 committed attempts");
  await expect(page.locator("svg.chart")).toHaveCount(2);
  await expect(page.getByRole("img", { name: "Stated confidence against score" })).toBeVisible();
  await expect(page.locator("table", { hasText: "Scored attempts" }).locator("tbody tr")).toHaveCount(2);
  await expect(page.locator("table", { hasText: "Scored attempts" })).toContainText("(self-review only)");
  const progressBefore = await page.locator("article.progress").innerText();

  const brag = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export brag document" }).click();
  const md = await readFile(await (await brag).path(), "utf8");
  expect(md).toContain(`### ${scenario.title} — attempt 1`);
  expect(md).toContain("**What I missed and why:** I anchored on the attack theory.");
  expect(md).toContain("**One thing to carry forward:** Read the failure's shape first.");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const exported = await readFile(await (await download).path());

  await page.getByRole("button", { name: "Delete my data" }).click();
  await page.getByRole("button", { name: "Delete everything" }).click();
  await expect(page.locator("p.empty")).toContainText("No finished attempts");
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("leap:")).length)).toBe(0);

  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await (await chooser).setFiles({ name: "export.json", mimeType: "application/json", buffer: exported });
  await expect(page.getByRole("status").filter({ hasText: "Imported 2 attempts" })).toBeVisible();
  expect((await page.locator("article.progress").innerText()).split("Your data")[0]).toBe(progressBefore.split("Your data")[0]);

  // Importing the same file again adds nothing.
  const again = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await (await again).setFiles({ name: "export.json", mimeType: "application/json", buffer: exported });
  await expect(page.getByRole("status").filter({ hasText: "Imported 0 attempts. 2 attempts were already here." })).toBeVisible();

  await open(page);
  await expect(page.locator(".history li")).toHaveCount(2);
  await expect(page.locator(".score")).toContainText("100 %");
  expect(firstScore).not.toBe(await page.locator(".score").textContent());
});

test("giving up to see the rubric is explicit, and the history says so", async ({ page }) => {
  await open(page);
  await write(page, { reasoning: "not sure yet" });
  await page.getByRole("button", { name: "Give up and see the rubric" }).click();
  await page.getByRole("button", { name: "Keep working" }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Give up and see the rubric" }).click();
  await page.getByRole("button", { name: "Yes, give up this attempt" }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  await expect(page.locator(".criterion input[type=radio]")).toHaveCount(0);
  await expect(page.locator(".history")).toContainText("gave up");
});

test("committing needs a commitment and a confidence", async ({ page }) => {
  await open(page);
  await write(page, { reasoning: "something" });
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("Before committing, add your commitment and your confidence.");
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toHaveCount(0);
});

test("the confidence has no value until set, and the first key chooses one", async ({ page }) => {
  await open(page);
  const confidence = page.getByLabel("Confidence");
  const output = page.locator("output[for=confidence]");
  await expect(output).toHaveText("not set");
  await expect(confidence).toHaveAttribute("aria-valuetext", "not set");
  await expect(confidence).toHaveClass(/unset/);
  await confidence.focus();
  await page.keyboard.press("ArrowUp");
  await expect(output).toHaveText("50 %");
  await expect(confidence).not.toHaveClass(/unset/);
  await page.keyboard.press("ArrowUp");
  await expect(output).toHaveText("55 %");
});

test("a first step down also chooses 50 rather than stepping from a hidden value", async ({ page }) => {
  await open(page);
  await page.getByLabel("Confidence").focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.locator("output[for=confidence]")).toHaveText("50 %");
  await page.keyboard.press("ArrowLeft");
  await expect(page.locator("output[for=confidence]")).toHaveText("45 %");
});

test("focus follows the learner: commit, self-review, try again, compare, open attempt", async ({ page }) => {
  await open(page);
  await write(page, { reasoning: "First try.", commitment: "Kill switch now.", confidence: 60 });
  await page.getByRole("button", { name: "Commit", exact: true }).focus();
  await page.keyboard.press("Enter");
  const rubricHeading = page.getByRole("heading", { name: "The rubric", exact: true });
  await expect(rubricHeading).toBeFocused();
  await expect(rubricHeading).toBeInViewport();
  await expect(page.locator("#practice-announce")).toContainText("Committed. The rubric follows");
  // From the heading, the first self-review choice is at most 3 Tabs away.
  const firstChoice = page.locator(".criterion").first().locator("input[type=radio]").first();
  let tabs = 0;
  while (tabs < 3 && !(await firstChoice.evaluate((e) => e === document.activeElement))) {
    await page.keyboard.press("Tab");
    tabs++;
  }
  await expect(firstChoice).toBeFocused();

  // Each criterion's row in the rubric is named by its short name.
  const names = await page.locator(".criterion legend").allTextContents();
  expect(names.length).toBeGreaterThan(0);
  await expect(page.getByRole("group", { name: names[0], exact: true })).toHaveCount(1);

  await page.getByRole("button", { name: "Try again" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Reasoning")).toBeFocused();
  await expect(page.getByLabel("Reasoning")).toBeInViewport();
  await expect(page.getByLabel("Reasoning")).toHaveValue("");
  await expect(page.locator("#practice-announce")).toContainText("A new attempt");

  await write(page, { reasoning: "Second try.", commitment: "Kill switch, then revert.", confidence: 70 });
  await commit(page);
  await page.getByRole("button", { name: "Compare", exact: true }).focus();
  await page.keyboard.press("Enter");
  const compareHeading = page.getByRole("heading", { name: "Attempt 1 and attempt 2" });
  await expect(compareHeading).toBeFocused();
  await expect(compareHeading).toBeInViewport();
  await expect(page.locator("#practice-announce")).toContainText("The comparison follows");
  // The comparison lists criteria by their short names.
  await expect(page.locator(".compare th[scope=row]", { hasText: names[0] })).toHaveCount(1);

  await page.getByRole("button", { name: "Open attempt 1" }).focus();
  await page.keyboard.press("Enter");
  const attemptHeading = page.getByRole("heading", { name: /^Attempt 1 · committed/ });
  await expect(attemptHeading).toBeFocused();
  await expect(attemptHeading).toBeInViewport();
});

test("keyboard only: write all three parts, set the confidence and commit", async ({ page }) => {
  await open(page);
  await page.getByLabel("Reasoning").focus();
  await page.keyboard.type("Keyboard reasoning.");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Uncertainty")).toBeFocused();
  await page.keyboard.type("Keyboard uncertainty.");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Commitment")).toBeFocused();
  await page.keyboard.type("Keyboard commitment.");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Confidence")).toBeFocused();
  // The first key sets 50 (issue 10 point 7); four more steps of 5 reach 70.
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  await expect(page.locator("output[for=confidence]")).toHaveText("70 %");
  const commitButton = page.getByRole("button", { name: "Commit", exact: true });
  for (let i = 0; i < 5 && !(await commitButton.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(commitButton).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  // The self-review is keyboard-usable too: the first criterion's radios take arrow keys.
  const first = page.locator(".criterion").first();
  await first.getByLabel("Caught", { exact: true }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(first.getByLabel("Partly caught")).toBeChecked();
});

test("timed mode: the scenario's minutes count down from a stored start, time up never locks, and the time taken is recorded", async ({ page }) => {
  test.setTimeout(90_000);
  const T0 = new Date("2027-03-01T09:00:00").getTime();
  const MIN = 60 * 1000;
  await page.clock.install({ time: T0 });
  await open(page);
  const minutes = scenario.minutes;
  // An investigation has an incident clock of its own: this is the time box.
  const timer = page.getByRole("timer", { name: "Time box" });
  const announcer = page.locator("#practice-announce");
  await expect(timer).toHaveCount(0);
  await page.getByRole("button", { name: `Start ${minutes}-minute countdown` }).click();
  // The clock runs on its own between the test's steps: a second may have gone.
  const about = (m) => new RegExp(`^Time box: (${m}:00|${m - 1}:5\\d) left$`);
  await expect(timer).toHaveText(about(minutes));
  await expect(announcer).toHaveText(`Countdown started: ${minutes} minutes. Writing never locks; time past the box is recorded.`);
  // Stored with the draft at once, before a word is written.
  await expect.poll(async () => JSON.parse(await stored(page))?.timebox?.minutes).toBe(minutes);
  const started = JSON.parse(await stored(page)).timebox.started_at;
  expect(started).toBeGreaterThanOrEqual(T0);

  // Seconds tick on screen; the live region is not told each one.
  await page.clock.runFor(5000);
  await expect(timer).toHaveText(new RegExp(`^Time box: ${minutes - 1}:5\\d left$`));
  await expect(announcer).toHaveText(/^Countdown started/);

  // A reload ten minutes in neither resets nor pauses it: the start is stored.
  await write(page, { reasoning: "Every PoP failed in the same minute: a global push." });
  await page.clock.setSystemTime(started + 10 * MIN);
  await page.reload();
  await ready(page);
  await expect(timer).toHaveText(about(minutes - 10));
  await expect(page.getByLabel("Reasoning")).toHaveValue("Every PoP failed in the same minute: a global push.");

  // Past the end: it says so, once, counts the overtime, and writing goes on.
  await page.clock.runFor(2000);
  await page.clock.setSystemTime(started + (minutes + 2) * MIN);
  await page.clock.runFor(1000);
  await expect(timer).toHaveText(/^Time box: Time is up · 2:0\d over$/);
  await expect(announcer).toHaveText("Time is up. Keep writing if you need to: the overtime is recorded.");
  await expect(page.getByText("Keep writing if you need to: nothing locks")).toBeVisible();
  await write(page, { uncertainty: "Whether the DNS change matters.", commitment: "Pull the kill switch.", confidence: 80 });
  await commit(page);
  await review(page, ["Caught"]);

  // The attempt recorded the time taken, and History and Progress show it.
  const took = new RegExp(`took ${minutes + 2} min \\(timed ${minutes} min, 2 min over\\)`);
  await expect(page.locator(".history li").first()).toContainText(took);
  await page.getByRole("banner").getByRole("link", { name: "Progress" }).click();
  await ready(page);
  const row = page.locator("table", { has: page.getByRole("columnheader", { name: "Time taken" }) }).locator("tbody tr").first();
  await expect(row).toContainText(`${minutes + 2} min (timed ${minutes} min, 2 min over)`);
});

test("without timed mode, nothing counts down and the attempt still records its time", async ({ page }) => {
  await open(page);
  await expect(page.getByRole("button", { name: `Start ${scenario.minutes}-minute countdown` })).toBeVisible();
  await write(page, { reasoning: "r", uncertainty: "u", commitment: "c", confidence: 60 });
  await commit(page);
  await expect(page.getByRole("timer", { name: "Time box" })).toHaveCount(0);
  await expect(page.locator(".history li").first()).toContainText(/took (under a minute|\d+ min)/);
});
