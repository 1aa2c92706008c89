// The catalog: lists the built pack, filters by track, level, competency and text, and keeps
// filters in the URL.
import { test, expect, siteIndex, ready } from "./fixtures.js";

const index = siteIndex();

// The page carries this many cards; "Show more" adds as many again (leap_core::catalog::PAGE).
const PAGE = 24;
const firstPage = Math.min(PAGE, index.scenarios.length);

test("carries the first page of the pack's scenarios, and Show more lists every other one", async ({ page }) => {
  const response = await page.goto("./");
  expect(response.status()).toBe(200);
  await expect(page).toHaveTitle(index.title);
  await expect(page.locator(".cards > li")).toHaveCount(firstPage);
  await ready(page);
  await expect(page.locator(".cards > li")).toHaveCount(firstPage);
  await expect(page.locator(".result-count")).toHaveText(`${index.scenarios.length} scenario${index.scenarios.length === 1 ? "" : "s"}`);
  for (let shown = firstPage; shown < index.scenarios.length; shown += PAGE) {
    const more = page.getByRole("button", { name: /^Show \d+ more$/ });
    await expect(more).toHaveText(`Show ${Math.min(PAGE, index.scenarios.length - shown)} more`);
    await more.click();
    await expect(page.locator(".cards > li")).toHaveCount(Math.min(shown + PAGE, index.scenarios.length));
    // The keyboard goes on from the first card it had not seen.
    await expect(page.locator(`.cards > li:nth-child(${shown + 1}) h2 a`)).toBeFocused();
  }
  await expect(page.getByRole("button", { name: /more$/ })).toHaveCount(0);
  for (const s of index.scenarios) {
    await expect(page.locator(`.card h2 a[href="scenarios/${s.pack}/${s.slug}/"]`)).toHaveText(s.title);
  }
});

test("the catalog fetches no data to start; the index comes when the learner searches, and finds what the page does not carry", async ({ page }) => {
  test.skip(index.scenarios.length <= PAGE, "the pack fits on the first page");
  const fetched = [];
  page.on("request", (r) => r.url().includes("/data/") && fetched.push(r.url()));
  await page.goto("./");
  await ready(page);
  await page.waitForTimeout(300);
  expect(fetched).toEqual([]);
  const target = index.scenarios[index.scenarios.length - 1];
  await expect(page.locator(`.card h2 a[href="scenarios/${target.pack}/${target.slug}/"]`)).toHaveCount(0);
  await page.getByLabel("Search").fill(target.title);
  await expect(page.locator(".card h2 a", { hasText: target.title })).toBeVisible();
  expect(fetched.filter((u) => u.includes("data/catalog.txt"))).toHaveLength(1);
  expect(fetched.filter((u) => u.includes("data/index.json"))).toEqual([]);
  await expect(page).toHaveURL(/\?q=/);
});

test("a filtered list is paged too, and a new filter starts again from its first page", async ({ page }) => {
  const byLevel = {};
  for (const s of index.scenarios) byLevel[s.level] = (byLevel[s.level] ?? 0) + 1;
  const [level, n] = Object.entries(byLevel).sort((a, b) => b[1] - a[1])[0];
  test.skip(n <= PAGE, "no level has more than a page of scenarios");
  await page.goto(`./?level=${level}`);
  await ready(page);
  await expect(page.locator(".result-count")).toHaveText(`${n} scenarios`);
  await expect(page.locator(".cards > li")).toHaveCount(PAGE);
  await page.getByRole("button", { name: `Show ${Math.min(PAGE, n - PAGE)} more` }).click();
  await expect(page.locator(".cards > li")).toHaveCount(Math.min(n, 2 * PAGE));
  await page.getByLabel("Level").selectOption("");
  await expect(page.locator(".cards > li")).toHaveCount(firstPage);
  await expect(page.locator(".result-count")).toHaveText(`${index.scenarios.length} scenarios`);
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
  await expect(page.locator(".cards > li")).toHaveCount(firstPage);
  await expect(page.getByLabel("Search")).toHaveValue("");
});

test("a filtered link opens filtered", async ({ page }) => {
  const track = index.scenarios[0].track;
  await page.goto(`./?track=${track}`);
  await ready(page);
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.filter((s) => s.track === track).length);
  await expect(page.getByLabel("Track")).toHaveValue(track);
});

test("a returning learner's cards say what they did — attempted, best graded score, reviews due — and nothing moves", async ({ page }) => {
  const { readFileSync } = await import("node:fs");
  const { resolve } = await import("node:path");
  const { createRequire } = await import("node:module");
  const fixture = (v) => JSON.parse(readFileSync(resolve(`../fixtures/storage/${v}/attempt.json`), "utf8"));
  const DAY = 24 * 60 * 60 * 1000;
  const now = new Date("2027-03-02T09:00:00").getTime();
  await page.clock.install({ time: now });
  const [graded, selfOnly, drilled] = index.scenarios.filter((s) => !s.investigation);
  // Graded by the evaluator at 86 % (self-review 64 %); self-reviewed only, at 64 %; two cards due.
  const attempt = (s, a) => [`leap:${s.pack}:${s.id}:attempt:${a.id}`, JSON.stringify(a)];
  const card = (s, criterion, due) => ({
    pack: s.pack, slug: s.slug, criterion, title: s.title, situation: "s.", artifact: null, insight: "i",
    half_caught: false, created_at: due - DAY, due, interval_days: 1, ease: 250, streak: 0, lapses: 0,
  });
  const queue = {
    v: 1,
    cards: [card(drilled, "x", now - DAY), card(drilled, "y", now - 2 * DAY), card(graded, "z", now + 3 * DAY)],
    made_from: [],
  };
  const entries = [
    attempt(graded, fixture("v4")),
    attempt(selfOnly, fixture("v1")),
    ["leap:review", JSON.stringify(queue)],
  ];

  // A first visit: no status anywhere.
  await page.goto("./");
  await ready(page);
  await expect(page.locator(".card-status")).toHaveCount(0);

  await page.evaluate((entries) => entries.forEach(([k, v]) => localStorage.setItem(k, v)), entries);
  // A practice page files the attempts where the site keeps them (and the summary the catalog
  // reads); the catalog then reads only what it can without opening that store.
  await page.goto("progress/");
  await ready(page);
  await page.goto("./");
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.reload();
  await ready(page);
  const status = (s) => page.locator(".card").filter({ has: page.locator(`h2 a[href="scenarios/${s.pack}/${s.slug}/"]`) }).locator(".card-status");
  await expect(status(graded)).toHaveText("Attempted · best graded 86 %");
  await expect(status(selfOnly)).toHaveText("Attempted · best 64 % (self-review)");
  await expect(status(drilled)).toHaveText("2 reviews due");
  await expect(page.locator(".card-status")).toHaveCount(3);
  // Read with the card: the status follows its title.
  const gradedCard = page.locator(".card").filter({ has: page.locator(`h2 a[href="scenarios/${graded.pack}/${graded.slug}/"]`) });
  await expect(gradedCard).toContainText(`${graded.title}Attempted · best graded 86 %`);
  await expect(page.getByRole("banner").getByRole("link", { name: "Review, 2 due" })).toBeVisible();
  // The status is drawn where nothing has to make room for it.
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__shift)).toBe(0);
  // Filtering redraws the cards with their status.
  await page.getByLabel("Track").selectOption(graded.track);
  await expect(status(graded)).toHaveText("Attempted · best graded 86 %");
  await page.getByLabel("Track").selectOption("");
  await expect(page.locator(".card-status")).toHaveCount(3);

  // No accessibility violations from the status, light or dark.
  const axe = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(axe);
    const result = await page.evaluate(() => window.axe.run(document.querySelector(".cards"), { resultTypes: ["violations"] }));
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});
