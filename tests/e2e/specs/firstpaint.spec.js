// Typing works at first paint (issue 11): a plain scenario's page arrives with the editor's form,
// what is typed there before the app takes over is kept (in storage at once, and across a reload
// before the app arrives), the app adopts it and merges it with the saved draft, nothing typed
// before, during or after the take-over is lost, and the editor does not move when the app takes
// over. The practice bundle's wasm is held back to make "before the app" last as long as needed.
import { test, expect, siteIndex, ready } from "./fixtures.js";

const index = siteIndex();
const plain = index.scenarios.find((s) => !s.investigation);
const path = `scenarios/${plain.pack}/${plain.slug}/`;
const draftKey = `leap:${plain.pack}:${plain.id}:draft`;
const earlyKey = `leap:${plain.pack}:${plain.id}:early`;
const MARKER = "(Typed while the page was loading:)";

/** Holds the practice bundle's wasm until the returned function is called. */
async function holdWasm(page) {
  let release;
  const gate = new Promise((r) => (release = r));
  await page.route("**/practice-*_bg.wasm", async (route) => {
    await gate;
    // A request of a page reloaded meanwhile is gone: nothing to continue.
    await route.continue().catch(() => {});
  });
  return release;
}

const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);
const notTakenOver = (page) => expect(page.locator("#app[data-ready]")).toHaveCount(0);

test("typing before, during and after the take-over: all of it is there after a reload, and the editor never moves", async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto(path, { waitUntil: "commit" });
  const reasoning = page.getByLabel("Reasoning");
  await expect(reasoning).toBeVisible();
  await notTakenOver(page);
  await reasoning.click();
  await page.keyboard.type("Before the app. ");
  await page.getByLabel("Confidence").fill("70");
  await expect(page.locator("output[for=confidence]")).toHaveText("70 %");
  // In storage before the app exists: the page's own script wrote it.
  await expect.poll(async () => JSON.parse(await stored(page, earlyKey))?.answer).toEqual({ reasoning: "Before the app. ", uncertainty: "", commitment: "", confidence: 70 });
  await notTakenOver(page);
  await reasoning.click();
  await page.keyboard.press("End");
  const box = await reasoning.boundingBox();

  // One key at a time from the moment the wasm is let through until well after the app has
  // taken over: every key pressed across the swap must land.
  release();
  let typed = "Before the app. ";
  const words = "during the take over and after it ";
  let after = 0;
  for (let i = 0; after < 12 && i < 2000; i++) {
    const key = words[i % words.length];
    await page.keyboard.type(key);
    typed += key;
    if (await page.locator("#app[data-ready]").count()) after++;
  }
  await ready(page);
  expect(after).toBe(12);
  await expect(reasoning).toHaveValue(typed);
  await expect(reasoning).toBeFocused();
  expect(await reasoning.boundingBox()).toEqual(box);
  await expect(page.locator(".save-state")).toContainText("Saved in this browser");

  await page.reload();
  await ready(page);
  await expect(reasoning).toHaveValue(typed);
  await expect(page.locator("output[for=confidence]")).toHaveText("70 %");
  // The draft holds it all; the entry of the time before the app is gone.
  expect(JSON.parse(await stored(page, draftKey)).answer.reasoning).toBe(typed);
  expect(await stored(page, earlyKey)).toBeNull();
});

test("a reload before the app arrives loses nothing: the page shows the text again at once", async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto(path, { waitUntil: "commit" });
  await page.getByLabel("Commitment").fill("Roll back the config push first");
  await expect.poll(() => stored(page, earlyKey)).toContain("Roll back the config push first");
  await page.reload({ waitUntil: "commit" });
  // Still no app: the page's script put the text back.
  await expect(page.getByLabel("Commitment")).toHaveValue("Roll back the config push first");
  await expect(page.locator("#commitment-count")).toHaveText("6 words");
  await notTakenOver(page);
  release();
  await ready(page);
  await expect(page.getByLabel("Commitment")).toHaveValue("Roll back the config push first");
  await expect(page.locator(".save-state")).toContainText("Saved in this browser");
  expect(JSON.parse(await stored(page, draftKey)).answer.commitment).toBe("Roll back the config push first");
  expect(await stored(page, earlyKey)).toBeNull();
});

test("text typed before the page's own script runs is kept by it: the page paints before deferred scripts run", async ({ page }) => {
  const releaseWasm = await holdWasm(page);
  let releaseEarly;
  const gate = new Promise((r) => (releaseEarly = r));
  await page.route("**/early-*.js", async (route) => {
    await gate;
    await route.continue().catch(() => {});
  });
  await page.goto(path, { waitUntil: "commit" });
  await page.getByLabel("Commitment").fill("Drain the canary first");
  expect(await stored(page, earlyKey)).toBeNull();
  releaseEarly();
  await expect.poll(() => stored(page, earlyKey)).toContain("Drain the canary first");
  await expect(page.locator("#commitment-count")).toHaveText("4 words");
  await page.reload({ waitUntil: "commit" });
  await expect(page.getByLabel("Commitment")).toHaveValue("Drain the canary first");
  releaseWasm();
  await ready(page);
  await expect(page.getByLabel("Commitment")).toHaveValue("Drain the canary first");
  await expect.poll(async () => JSON.parse(await stored(page, draftKey))?.answer?.commitment).toBe("Drain the canary first");
});

test("a draft saved on an earlier visit and text typed before the take-over are both kept", async ({ page }) => {
  // An earlier visit leaves a draft.
  await page.goto(path);
  await ready(page);
  await page.getByLabel("Reasoning").fill("Saved on an earlier visit.");
  await page.getByLabel("Reasoning").blur();
  await expect(page.locator(".save-state")).toContainText("Saved in this browser");
  const draft = await stored(page, draftKey);

  // The next visit shows it before the app arrives, and the learner writes on.
  let release = await holdWasm(page);
  await page.goto(path, { waitUntil: "commit" });
  const reasoning = page.getByLabel("Reasoning");
  await expect(reasoning).toHaveValue("Saved on an earlier visit.");
  await reasoning.click();
  await page.keyboard.press("End");
  await page.keyboard.type(" Written on before the app.");
  release();
  await ready(page);
  await expect(reasoning).toHaveValue("Saved on an earlier visit. Written on before the app.");
  await page.reload();
  await ready(page);
  await expect(reasoning).toHaveValue("Saved on an earlier visit. Written on before the app.");

  // A draft the page could not show (saved by another tab after the page loaded): both texts
  // are kept, the saved one first, under a line that says where the other came from.
  await page.unroute("**/practice-*_bg.wasm");
  await page.evaluate((k) => localStorage.removeItem(k), draftKey);
  release = await holdWasm(page);
  await page.goto(path, { waitUntil: "commit" });
  await expect(reasoning).toHaveValue("");
  await reasoning.fill("Typed on this page.");
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [draftKey, draft]);
  release();
  await ready(page);
  const both = `Saved on an earlier visit.\n\n${MARKER}\nTyped on this page.`;
  await expect(reasoning).toHaveValue(both);
  await page.reload();
  await ready(page);
  await expect(reasoning).toHaveValue(both);
});

test("the app takes over the editor without moving anything", async ({ page }) => {
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__shift += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  const release = await holdWasm(page);
  await page.goto(path, { waitUntil: "commit" });
  await expect(page.getByLabel("Reasoning")).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
  const boxes = async () => {
    const out = {};
    for (const sel of ["article.scenario", "#ws-answer", "#reasoning", "#commitment", "#confidence", ".actions"]) out[sel] = await page.locator(sel).boundingBox();
    return out;
  };
  const before = await boxes();
  release();
  await ready(page);
  expect(await boxes()).toEqual(before);
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__shift)).toBe(0);
});

test("the answer's column scrolled and a field focused before the take-over stay so after it", async ({ page }) => {
  // A wide but short window: the answer is a column of its own, sticky and scrolling within itself.
  await page.setViewportSize({ width: 1280, height: 420 });
  const release = await holdWasm(page);
  await page.goto(path, { waitUntil: "commit" });
  const column = page.locator("#ws-answer");
  await expect(page.getByLabel("Commitment")).toBeVisible();
  await notTakenOver(page);
  const room = await column.evaluate((c) => c.scrollHeight - c.clientHeight);
  expect(room, "the answer's column does not scroll in this window").toBeGreaterThan(60);
  const top = Math.min(room, 150);
  await page.getByLabel("Uncertainty").evaluate((e) => e.focus({ preventScroll: true }));
  await column.evaluate((c, t) => (c.scrollTop = t), top);
  expect(await column.evaluate((c) => c.scrollTop)).toBe(top);
  release();
  await ready(page);
  await expect.poll(() => column.evaluate((c) => c.scrollTop)).toBe(top);
  await expect(page.getByLabel("Uncertainty")).toBeFocused();
  // The focus came back without scrolling the column its own way.
  expect(await column.evaluate((c) => c.scrollTop)).toBe(top);
  await page.keyboard.type("kept");
  await expect(page.getByLabel("Uncertainty")).toHaveValue("kept");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the answer's tab works before the app arrives, and stays chosen when it takes over", async ({ page }) => {
    const release = await holdWasm(page);
    await page.goto(path, { waitUntil: "commit" });
    const reasoning = page.getByLabel("Reasoning");
    await expect(page.getByRole("tab", { name: "Evidence" })).toHaveAttribute("aria-selected", "true");
    await expect(reasoning).not.toBeInViewport();
    await page.getByRole("tab", { name: "Your answer" }).click();
    await expect(page.getByRole("tab", { name: "Your answer" })).toHaveAttribute("aria-selected", "true");
    await expect(reasoning).toBeVisible();
    await reasoning.click();
    await page.keyboard.type("Thumbs before the app.");
    const box = await reasoning.boundingBox();
    release();
    await ready(page);
    await expect(page.getByRole("tab", { name: "Your answer" })).toHaveAttribute("aria-selected", "true");
    await expect(reasoning).toHaveValue("Thumbs before the app.");
    expect(await reasoning.boundingBox()).toEqual(box);
  });
});

test("an investigation's page has its editor before the app too, the evidence column loading; the text typed there is kept", async ({ page }) => {
  const inv = index.scenarios.find((s) => s.investigation);
  test.skip(!inv, "the pack has no investigation");
  const release = await holdWasm(page);
  await page.goto(`scenarios/${inv.pack}/${inv.slug}/`, { waitUntil: "commit" });
  await expect(page.locator("h1")).toHaveText(inv.title);
  await expect(page.locator("#ws-evidence")).toContainText("Loading the investigation…");
  const reasoning = page.getByLabel("Reasoning");
  await reasoning.fill("Investigating before the app.");
  release();
  // The investigation is the full loop's: it comes by itself, with no interaction.
  await page.locator("#app[data-ready]").waitFor();
  await expect(page.locator(".incident-clock")).toBeVisible();
  await expect(reasoning).toHaveValue("Investigating before the app.");
  await reasoning.blur();
  await expect(page.locator(".save-state")).toContainText("Saved");
});
