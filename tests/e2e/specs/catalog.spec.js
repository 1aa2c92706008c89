// The catalog: lists the built pack, filters by track, level, competency and text, and keeps
// filters in the URL.
import { test, expect, siteIndex, ready } from "./fixtures.js";

const index = siteIndex();

test("lists every scenario of the pack, before and after the app takes over", async ({ page }) => {
  const response = await page.goto("./");
  expect(response.status()).toBe(200);
  await expect(page).toHaveTitle(index.title);
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.length);
  await ready(page);
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.length);
  for (const s of index.scenarios) {
    await expect(page.locator(`.card h2 a[href="scenarios/${s.pack}/${s.slug}/"]`)).toHaveText(s.title);
  }
  await expect(page.locator(".result-count")).toHaveText(`${index.scenarios.length} scenario${index.scenarios.length === 1 ? "" : "s"}`);
});

test("filters by track, level and competency and keeps them in the URL", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  const track = index.scenarios[0].track;
  const expected = index.scenarios.filter((s) => s.track === track).length;
  await page.getByLabel("Track").selectOption(track);
  await expect(page.locator(".cards > li")).toHaveCount(expected);
  await expect(page).toHaveURL(new RegExp(`\\?track=${track}$`));
  for (const badge of await page.locator(".card .badges li:first-child").all()) {
    await expect(badge).toHaveClass(new RegExp(`badge-${track}`));
  }

  const competency = index.scenarios[0].competencies[0];
  const both = index.scenarios.filter((s) => s.track === track && s.competencies.includes(competency)).length;
  await page.getByLabel("Competency").selectOption(competency);
  await expect(page.locator(".cards > li")).toHaveCount(both);

  const level = index.scenarios[0].level;
  await page.getByLabel("Level").selectOption(level);
  await expect(page.locator(".cards > li")).toHaveCount(
    index.scenarios.filter((s) => s.track === track && s.level === level && s.competencies.includes(competency)).length,
  );

  // A reload keeps the filters: they live in the URL.
  await page.reload();
  await ready(page);
  await expect(page.getByLabel("Track")).toHaveValue(track);
  await expect(page.getByLabel("Level")).toHaveValue(level);
});

test("text search matches every word, and an empty result offers a way back", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  const target = index.scenarios[0];
  const word = target.title.split(/\s+/).find((w) => w.length > 4) ?? target.title;
  await page.getByLabel("Search").fill(word);
  await expect(page.locator(".card h2 a", { hasText: target.title })).toBeVisible();
  await page.getByLabel("Search").fill("zzzz-nothing-matches-this");
  await expect(page.locator(".cards")).toHaveCount(0);
  await expect(page.locator(".empty")).toContainText("No scenario matches");
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.length);
  await expect(page.getByLabel("Search")).toHaveValue("");
});

test("a filtered link opens filtered", async ({ page }) => {
  const track = index.scenarios[0].track;
  await page.goto(`./?track=${track}`);
  await ready(page);
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.filter((s) => s.track === track).length);
  await expect(page.getByLabel("Track")).toHaveValue(track);
});
