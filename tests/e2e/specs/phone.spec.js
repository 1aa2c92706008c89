// A phone you can work on (issue 10 §8), at 360 × 740 CSS px, light and dark: the header fits one
// line with every link named, no page scrolls sideways, diagrams open full-screen and zoom, wide
// tables scroll in their own box with the first column kept, the catalog's filters start closed,
// and two attempts compared are both in view.
import { test, expect, siteIndex, ready } from "./fixtures.js";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createRequire } from "node:module";

const DIST = resolve(process.env.LEAP_DIST ?? "../../dist");
const index = siteIndex();
const scenarioPath = (s) => `scenarios/${s.pack}/${s.slug}/`;
const staticPage = (s) => readFileSync(resolve(DIST, scenarioPath(s), "index.html"), "utf8");
// The scenarios whose pre-rendered page shows a diagram, and one with a table wider than a phone.
const withDiagram = index.scenarios.find((s) => staticPage(s).includes('class="diagram-open"'));
const withWideTable = index.scenarios.find((s) => s.slug === "edge-cpu-regex") ?? index.scenarios[0];
const analysis = index.scenarios.find((s) => !s.investigation);
const PHONE = { width: 360, height: 740 };
const pages = ["./", "how-it-works/", "progress/", "review/", "settings/", "no/such/page/"];

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** Every axe violation, of any impact, inside `selector`. */
async function violations(page, selector) {
  await page.evaluate(axeSource);
  const result = await page.evaluate((s) => window.axe.run(s, { resultTypes: ["violations"] }), selector);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function open(page, where) {
  await page.goto(where);
  await ready(page);
}

/** Three review cards due now, so the header's Review link carries a count. */
async function cardsDue(page) {
  await page.addInitScript(() => {
    if (localStorage.getItem("leap:review")) return;
    const card = (n) => ({
      pack: "core", slug: "x", criterion: `c${n}`, title: "A scenario", situation: "Something broke.",
      artifact: null, artifact_anchor: null, insight: "The failure mode.", half_caught: false,
      created_at: 0, due: 1, interval_days: 0, ease: 250, streak: 0, lapses: 0,
    });
    localStorage.setItem("leap:review", JSON.stringify({ v: 1, cards: [card(1), card(2), card(3)], made_from: [] }));
  });
}

/** How far the document scrolls sideways (0 when it fits). */
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const scheme of ["light", "dark"]) {
  test.describe(`on a 360 px phone, ${scheme}`, () => {
    test.use({ viewport: PHONE, colorScheme: scheme });

    test("the header is one line on every page, and the Review link says how many are due", async ({ page }) => {
      await cardsDue(page);
      for (const where of [...pages, scenarioPath(analysis)]) {
        await open(page, where);
        const header = page.getByRole("banner");
        const links = header.getByRole("link");
        // The brand and five links, each named in words though two show an icon.
        await expect(links).toHaveCount(6);
        await expect(header.getByRole("link", { name: "Settings", exact: true })).toBeVisible();
        await expect(header.getByRole("link", { name: "How it works", exact: true })).toBeVisible();
        await expect(header.getByRole("link", { name: index.title, exact: true })).toBeVisible();
        await expect(header.getByRole("link", { name: "Review, 3 due", exact: true })).toBeVisible();
        const boxes = await links.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
        const mid = (b) => b.top + b.height / 2;
        for (const b of boxes) {
          // One row: every link centred on the first one's line, and inside the screen.
          expect(Math.abs(mid(b) - mid(boxes[0])), where).toBeLessThanOrEqual(2);
          expect(b.left, where).toBeGreaterThanOrEqual(0);
          expect(b.right, where).toBeLessThanOrEqual(PHONE.width);
        }
        const height = (await header.boundingBox()).height;
        expect(height, where).toBeLessThan(2 * Math.max(...boxes.map((b) => b.height)));
        expect(await sideways(page), where).toBe(0);
        // Every link is a tab stop in reading order: nothing is kept from the keyboard.
        await page.locator(".skip-link").focus();
        for (let i = 0; i < 6; i++) {
          await page.keyboard.press("Tab");
          await expect(links.nth(i)).toBeFocused();
        }
      }
      expect(await violations(page, ".site-header")).toEqual([]);
    });

    test("no page scrolls sideways: each scenario, progress, review, settings, how it works, 404", async ({ page }) => {
      test.setTimeout(240_000);
      for (const where of [...pages, ...index.scenarios.map(scenarioPath)]) {
        await open(page, where);
        expect(await sideways(page), where).toBe(0);
      }
    });
  });
}

test.describe("on a 360 px phone", () => {
  test.use({ viewport: PHONE, hasTouch: true });

  test("a diagram opens full-screen, zooms by buttons, keys and pinch, and closes back to its link", async ({ page }) => {
    expect(withDiagram, "a scenario with a diagram").toBeTruthy();
    await open(page, scenarioPath(withDiagram));
    const url = page.url();
    const link = page.getByRole("link", { name: "Enlarge diagram" }).first();
    const figure = page.locator(".diagram").first();
    const alt = await figure.locator("img").getAttribute("alt");
    expect(alt.length).toBeGreaterThan(10);

    await link.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Enlarged diagram" });
    await expect(dialog).toBeVisible();
    expect(page.url()).toBe(url);
    expect(await dialog.boundingBox()).toEqual({ x: 0, y: 0, ...PHONE });
    const img = dialog.getByRole("img", { name: alt });
    await expect(img).toBeVisible();
    const zoom = dialog.locator("output");
    await expect(zoom).toHaveText("100 %");
    const width = async () => (await img.boundingBox()).width;
    const fitted = await width();
    expect(fitted).toBeLessThanOrEqual(PHONE.width);
    expect(fitted).toBeGreaterThan(PHONE.width * 0.8);

    // Buttons.
    await dialog.getByRole("button", { name: "Zoom in" }).click();
    await expect(zoom).toHaveText("150 %");
    expect(await width()).toBeCloseTo(fitted * 1.5, 0);
    await dialog.getByRole("button", { name: "Zoom out" }).click();
    await expect(zoom).toHaveText("100 %");
    await expect(dialog.getByRole("button", { name: "Zoom out" })).toHaveAttribute("aria-disabled", "true");

    // Keys, and the arrow keys move around the enlarged diagram.
    await page.keyboard.press("+");
    await page.keyboard.press("+");
    await expect(zoom).toHaveText("225 %");
    expect(await width()).toBeCloseTo(fitted * 2.25, 0);
    const stage = dialog.getByRole("group", { name: /move around it/ });
    await stage.focus();
    const scrolled = () => stage.evaluate((s) => s.scrollLeft);
    const before = await scrolled();
    await page.keyboard.press("ArrowRight");
    await expect.poll(scrolled).toBeGreaterThan(before);
    await page.keyboard.press("0");
    await expect(zoom).toHaveText("100 %");
    expect(await width()).toBeCloseTo(fitted, 0);

    // Two fingers spreading apart.
    const box = await stage.boundingBox();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Input.synthesizePinchGesture", {
      x: box.x + box.width / 2,
      y: box.y + box.height / 2,
      scaleFactor: 2,
      gestureSourceType: "touch",
    });
    await expect.poll(async () => parseInt(await zoom.textContent(), 10)).toBeGreaterThan(150);
    expect(await width()).toBeGreaterThan(fitted * 1.5);
    expect(await sideways(page)).toBe(0);

    // Escape closes it, and focus is back on the link that opened it.
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(link).toBeFocused();

    // A tap on the diagram opens it too; Close closes it, focus again on the link.
    await figure.locator("img").click();
    await expect(dialog).toBeVisible();
    await expect(zoom).toHaveText("100 %");
    expect(await violations(page, ".viewer")).toEqual([]);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(link).toBeFocused();
    expect(page.url()).toBe(url);
  });

  test("a wide table scrolls in its own box, by keyboard too, and keeps its first column", async ({ page }) => {
    await open(page, scenarioPath(withWideTable));
    const wrap = page.locator(".table-wrap").filter({ has: page.locator("table") });
    // The table that overflows the most.
    const overflow = await wrap.evaluateAll((els) => els.map((e) => e.scrollWidth - e.clientWidth));
    const widest = overflow.indexOf(Math.max(...overflow));
    expect(overflow[widest], "a table much wider than the phone").toBeGreaterThan(150);
    const box = wrap.nth(widest);
    // A named tab stop: a keyboard can reach and scroll it, a screen reader says what it is.
    await expect(box).toHaveAttribute("tabindex", "0");
    await expect(box).toHaveAccessibleName(/^Table: /);
    await expect(box).toHaveRole("group");
    await box.scrollIntoViewIfNeeded();
    const row = box.locator("tbody tr").first();
    const firstCell = row.locator("td").first();
    const secondCell = row.locator("td").nth(1);
    const [first0, second0] = [await firstCell.boundingBox(), await secondCell.boundingBox()];
    await box.focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(() => box.evaluate((e) => e.scrollLeft)).toBeGreaterThan(100);
    const [first1, second1] = [await firstCell.boundingBox(), await secondCell.boundingBox()];
    expect(first1.x).toBeCloseTo(first0.x, 0);
    expect(second1.x).toBeLessThan(second0.x - 100);
    // The scrolled cells pass under the first column, which stays drawn over them.
    const onTop = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest("td, th")?.cellIndex, [first1.x + 5, first1.y + 5]);
    expect(onTop).toBe(0);
    expect(await sideways(page)).toBe(0);
    expect(await violations(page, ".table-wrap")).toEqual([]);
  });

  test("the catalog's filters start closed, say how many are set, and open on a tap", async ({ page }) => {
    await open(page, "./");
    const toggle = page.locator(".filters-box > summary");
    await expect(toggle).toHaveText("Filters");
    await expect(page.getByRole("searchbox", { name: "Search" })).toBeHidden();
    // The first screen shows scenarios: a card's link is in view, not a filter.
    const firstScreen = await page.locator("main a[href^='scenarios/']").evaluateAll((els) =>
      els.filter((e) => e.getBoundingClientRect().bottom <= innerHeight).length,
    );
    expect(firstScreen).toBeGreaterThan(0);
    await toggle.click();
    await expect(page.getByRole("searchbox", { name: "Search" })).toBeVisible();
    await page.getByLabel("Track").selectOption({ index: 1 });
    await expect(toggle).toHaveText("Filters (1 active)");
    await page.getByRole("searchbox", { name: "Search" }).fill("the");
    await expect(toggle).toHaveText("Filters (2 active)");
    expect(await violations(page, ".filters-box")).toEqual([]);
    // A filtered link opened elsewhere starts closed, and says it is filtered.
    await open(page, "./?track=backend");
    await expect(toggle).toHaveText("Filters (1 active)");
    await expect(page.getByLabel("Track")).toBeHidden();
    expect(await sideways(page)).toBe(0);
  });

  test("two attempts compared are both in view, side by side under each row's name", async ({ page }) => {
    await open(page, scenarioPath(analysis));
    const answer = page.getByRole("tab", { name: "Your answer" });
    for (const [reasoning, commitment] of [
      ["First try: a long paragraph about the failure, the deploy and the dashboards.", "Roll back the deploy now."],
      ["Second try: https://example.com/a/very/long/unbroken/address/that/would/push/a/column/out", "Kill switch, then revert."],
    ]) {
      if (await answer.isVisible()) await answer.click();
      await page.getByLabel("Reasoning").fill(reasoning);
      await page.getByLabel("Commitment").fill(commitment);
      await page.getByLabel("Confidence").fill("70");
      await page.getByRole("button", { name: "Commit", exact: true }).click();
      await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
      const boxes = page.locator(".criterion");
      for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).getByLabel("Caught", { exact: true }).check();
      if (reasoning.startsWith("First")) await page.getByRole("button", { name: "Try again" }).click();
    }
    await page.getByRole("button", { name: "Compare", exact: true }).click();
    const compare = page.locator(".compare");
    await expect(compare.getByRole("heading", { name: "Attempt 1 and attempt 2" })).toBeVisible();
    // Still a table to a screen reader: rows named by their header.
    const reasoningRow = compare.getByRole("row", { name: /^Reasoning/ });
    await expect(reasoningRow.getByRole("rowheader", { name: "Reasoning" })).toHaveCount(1);
    const cells = reasoningRow.getByRole("cell");
    await expect(cells).toHaveCount(2);
    await reasoningRow.scrollIntoViewIfNeeded();
    const [a, b] = [await cells.nth(0).boundingBox(), await cells.nth(1).boundingBox()];
    // Both attempts fully on screen, side by side.
    for (const c of [a, b]) {
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.x + c.width).toBeLessThanOrEqual(PHONE.width);
    }
    expect(b.x).toBeGreaterThanOrEqual(a.x + a.width - 1);
    expect(Math.abs(a.y - b.y)).toBeLessThanOrEqual(1);
    await expect(cells.nth(0)).toContainText("First try");
    await expect(cells.nth(1)).toContainText("Second try");
    expect(await compare.locator(".table-wrap").evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
    expect(await sideways(page)).toBe(0);
  });
});

test("on a wide screen the catalog's filters are simply there, and the header shows its words", async ({ page }) => {
  await open(page, "./");
  await expect(page.locator(".filters-box > summary")).toBeHidden();
  await expect(page.getByRole("searchbox", { name: "Search" })).toBeVisible();
  await expect(page.getByLabel("Track")).toBeVisible();
  const header = page.getByRole("banner");
  await expect(header.getByText("How it works", { exact: true })).toBeVisible();
  await expect(header.getByText(index.title, { exact: true })).toBeVisible();
});
