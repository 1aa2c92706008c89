// A plain scenario's page before the whole practice loop arrives (issue 11): its small write
// bundle commits from the pre-rendered form, and whatever the learner asked for on the way (the
// rubric, the preview, the give-up's confirmation) is open when the full loop takes over.
import { test, expect, siteIndex, storedEntries, refuseStorage } from "./fixtures.js";

const index = siteIndex();
const plain = index.scenarios.find((s) => !s.investigation);
const path = `scenarios/${plain.pack}/${plain.slug}/`;
const FULL_LOOP = /\/practice-[0-9a-f]+(_bg\.wasm|\.js)$/;

/** Holds the full practice loop's files until the returned function is called. */
async function holdFullLoop(page) {
  let release;
  const gate = new Promise((r) => (release = r));
  await page.route(FULL_LOOP, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

async function openWritable(page) {
  await page.goto(path);
  await page.locator("#practice[data-write]").waitFor({ state: "attached" });
}

/** Fills every part a commit needs. */
async function fillAll(page) {
  await page.getByLabel("Reasoning").fill("Locks.");
  await page.getByLabel("Commitment").fill("Block it.");
  await page.getByLabel("Confidence").fill("40");
}

const attempts = async (page) =>
  Object.entries(await storedEntries(page))
    .filter(([k]) => k.startsWith(`leap:${plain.pack}:${plain.id}:attempt:`))
    .map(([, v]) => JSON.parse(v));

test("a commit made before the full loop arrives is stored, and its rubric opens when it does", async ({ page }) => {
  const release = await holdFullLoop(page);
  await openWritable(page);
  await page.getByLabel("Reasoning").fill("The default rewrites every row under a lock.");
  await page.getByLabel("Commitment").fill("Block the merge; add the column without a default first.");
  await page.getByLabel("Confidence").fill("70");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.locator(".save-state")).toHaveText("Committed. Opening the rubric…");
  // The attempt is the write bundle's doing: the full loop has not arrived.
  await expect(page.locator("#app[data-ready]")).toHaveCount(0);
  await expect.poll(() => attempts(page).then((a) => a.length)).toBe(1);
  const [attempt] = await attempts(page);
  expect(attempt.answer).toMatchObject({ reasoning: "The default rewrites every row under a lock.", confidence: 70 });
  expect(attempt.outcome).toBe("committed");
  expect(attempt.scenario.title).toBe(plain.title);
  // The form is empty: its text is the attempt's now, not a draft for the full loop to adopt.
  await expect(page.getByLabel("Reasoning")).toHaveValue("");
  expect(await page.evaluate((k) => localStorage.getItem(k), `leap:${plain.pack}:${plain.id}:early`)).toBeNull();

  release();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator("#rubric")).toBeFocused();
  await expect(page.getByLabel("Reasoning")).toHaveCount(0);
  await expect(page.locator(".history")).toContainText("Attempt 1");

  // Back at a scenario finished before: the full loop comes at once, with nothing pressed.
  await page.reload();
  await expect(page.locator("#app[data-ready]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  expect(await attempts(page)).toHaveLength(1);
});

test("a commit with a part missing says which, and stores nothing", async ({ page }) => {
  await holdFullLoop(page);
  await openWritable(page);
  await page.getByLabel("Reasoning").fill("Something about locks.");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("Before committing, add your commitment and your confidence.");
  await page.getByLabel("Commitment").fill("Block it.");
  await page.getByLabel("Confidence").fill("40");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect.poll(() => attempts(page).then((a) => a.length)).toBe(1);
});

test.describe("when the full loop cannot load", () => {
  // The browser reports the request the test refuses.
  test.use({ expectedConsoleErrors: [/^Failed to load resource: net::ERR_FAILED$/] });

  test("the page says so and a commit still works", async ({ page }) => {
    await page.route(FULL_LOOP, (route) => route.abort());
    await openWritable(page);
    await page.getByLabel("Reasoning").fill("Locks.");
    await expect(page.locator(".save-state")).toContainText("could not load", { timeout: 10_000 });
    await page.getByLabel("Commitment").fill("Block it.");
    await page.getByLabel("Confidence").fill("40");
    await page.getByRole("button", { name: "Commit", exact: true }).click();
    await expect.poll(() => attempts(page).then((a) => a.length)).toBe(1);
    await expect(page.getByLabel("Reasoning")).toHaveValue("");
  });
});

test("the preview asked for before the full loop arrives is open when it does", async ({ page }) => {
  const release = await holdFullLoop(page);
  await openWritable(page);
  await page.getByLabel("Reasoning").fill("It is **the lock**.");
  await page.getByLabel("Show Markdown preview").check();
  await expect(page.locator(".save-state")).toHaveText("Loading the preview…");
  release();
  await expect(page.locator("#app[data-ready]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByRole("region", { name: "Reasoning, preview" }).locator("strong")).toHaveText("the lock");
  await expect(page.getByRole("textbox", { name: "Reasoning" })).toHaveValue("It is **the lock**.");
});

test("giving up before the full loop arrives opens its confirmation, and nothing is given up yet", async ({ page }) => {
  const release = await holdFullLoop(page);
  await openWritable(page);
  await page.getByRole("button", { name: "Give up and see the rubric" }).click();
  release();
  await expect(page.getByRole("group", { name: "Give up this attempt?" })).toBeVisible({ timeout: 15_000 });
  expect(await attempts(page)).toHaveLength(0);
});

test("a double click on Commit stores one attempt and raises no false alarm", async ({ page }) => {
  const release = await holdFullLoop(page);
  await openWritable(page);
  await fillAll(page);
  await page.getByRole("button", { name: "Commit", exact: true }).dblclick();
  await expect(page.locator(".save-state")).toHaveText("Committed. Opening the rubric…");
  await page.waitForTimeout(300);
  await expect(page.getByRole("alert")).toHaveCount(0);
  expect(await attempts(page)).toHaveLength(1);
  release();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible({ timeout: 15_000 });
});

test.describe("when the full loop fails to load once", () => {
  test.use({ expectedConsoleErrors: [/^Failed to load resource: net::ERR_FAILED$/] });

  test("it is tried again at the next key, and arrives", async ({ page }) => {
    let refuse = true;
    await page.route(FULL_LOOP, (route) => (refuse ? route.abort() : route.continue()));
    await openWritable(page);
    await page.getByLabel("Reasoning").fill("Locks.");
    await expect(page.locator(".save-state")).toContainText("could not load", { timeout: 10_000 });
    refuse = false;
    await page.keyboard.type(" More.");
    await expect(page.locator("#app[data-ready]")).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByRole("textbox", { name: "Reasoning" })).toHaveValue("Locks. More.");
  });
});

test.describe("when the browser refuses storage", () => {
  test.beforeEach(({ page }) => refuseStorage(page, { indexedDB: true }));

  test("a commit is made by the full loop, which keeps it for the visit: nothing is lost", async ({ page }) => {
    const release = await holdFullLoop(page);
    await openWritable(page);
    await fillAll(page);
    await page.getByRole("button", { name: "Commit", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("keeps nothing the site writes");
    // The text stays on the form for the full loop to carry.
    await expect(page.getByLabel("Reasoning")).toHaveValue("Locks.");
    release();
    await expect(page.locator("#app[data-ready]")).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByRole("textbox", { name: "Reasoning" })).toHaveValue("Locks.");
    await page.getByRole("button", { name: "Commit", exact: true }).click();
    await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
  });
});

test("an interaction before the write bundle started sends for the full loop as soon as it starts", async ({ page }) => {
  // The write bundle is held; the learner types meanwhile (the page's early script keeps it).
  let release;
  const gate = new Promise((r) => (release = r));
  await page.route(/\/write-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto(path);
  await page.getByLabel("Reasoning").fill("Typed before any bundle ran.");
  await page.getByLabel("Reasoning").press("End");
  release();
  // No further interaction: the full loop comes by itself and keeps the text.
  await expect(page.locator("#app[data-ready]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByRole("textbox", { name: "Reasoning" })).toHaveValue("Typed before any bundle ran.");
});
