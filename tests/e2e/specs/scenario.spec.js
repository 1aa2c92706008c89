// Scenario pages: open from the catalog without a reload, load directly from a deep link,
// read without JavaScript, and show situation, artifacts, the ask and the primer.
import { test, expect, siteIndex, ready } from "./fixtures.js";

const index = siteIndex();
// The cards the catalog page carries (leap_core::catalog::PAGE; catalog.spec.js checks the rest).
const firstPage = Math.min(24, index.scenarios.length);
const first = index.scenarios[0];
const firstPath = `scenarios/${first.pack}/${first.slug}/`;

test("opens from the catalog, with the practice bundle, and comes back", async ({ page }) => {
  const wasm = [];
  page.on("request", (r) => (r.url().endsWith(".wasm") ? wasm.push(new URL(r.url()).pathname) : null));
  await page.goto("./");
  await ready(page);
  expect(wasm.some((p) => /browse-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  // Scenario pages belong to the practice bundle: the link is an ordinary page load.
  await page.locator(`.card h2 a[href="${firstPath}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${firstPath}$`));
  await ready(page);
  // Every asset is content-addressed, the practice bundle too.
  expect(wasm.some((p) => /practice-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  await expect(page.locator("h1")).toHaveText(first.title);
  await expect(page).toHaveTitle(`${first.title} — ${index.title}`);
  await expect(page.locator("#situation")).toHaveText("Situation");
  await expect(page.locator(".artifact h3").first()).toBeVisible();
  await expect(page.locator("#the-ask")).toHaveText("The ask");

  await page.getByRole("link", { name: "Scenarios" }).first().click();
  await ready(page);
  await expect(page.locator(".cards > li")).toHaveCount(firstPage);
});

// The browse bundle adopts each of its pre-rendered pages as it is (no router: issue 11's first
// load), so moving between them is an ordinary page load, and back brings the filters back.
test("moves between the catalog and how it works, and back to the same filters", async ({ page }) => {
  const track = first.track;
  await page.goto("./");
  await ready(page);
  await page.getByLabel("Track").selectOption(track);
  await expect(page).toHaveURL(new RegExp(`\\?track=${track}$`));
  await page.getByRole("link", { name: "How it works" }).click();
  await expect(page.locator("h1")).toHaveText("How it works");
  await expect(page).toHaveTitle(`How it works — ${index.title}`);
  await ready(page);
  await page.goBack();
  await ready(page);
  await expect(page.getByLabel("Track")).toHaveValue(track);
  await expect(page.locator(".cards > li")).toHaveCount(Math.min(firstPage, index.scenarios.filter((s) => s.track === track).length));
  await page.getByRole("link", { name: "Scenarios" }).first().click();
  await expect(page.locator(".cards > li")).toHaveCount(firstPage);
});

test("an unknown scenario in a known shape shows not found", async ({ page }) => {
  const response = await page.goto(`scenarios/${first.pack}/no-such-scenario/`);
  expect(response.status()).toBe(404);
  await expect(page.locator("h1")).toHaveText("Page not found");
  await ready(page);
  await expect(page.locator("h1")).toHaveText("Page not found");
  await page.getByRole("link", { name: "Browse all scenarios" }).click();
  await expect(page.locator(".cards > li")).toHaveCount(firstPage);
});

function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** When each path was first requested and first finished, from now on. */
function timeline(page) {
  const started = {};
  const finished = {};
  page.on("request", (r) => (started[new URL(r.url()).pathname] ??= Date.now()));
  page.on("requestfinished", (r) => (finished[new URL(r.url()).pathname] ??= Date.now()));
  const path = (suffix) => Object.keys(started).find((p) => p.endsWith(suffix));
  return { started, finished, path };
}

/** On a reload, the index and the body are downloaded once: the preload is what the app uses. */
async function expectOneRequestEach(page) {
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.reload();
  await ready(page);
  expect(requests.filter((p) => p.endsWith("/data/index.json"))).toHaveLength(1);
  expect(requests.filter((p) => p.endsWith("/scenario.json"))).toHaveLength(1);
}

test("no waterfall on an investigation: its data is requested with the HTML, never after the wasm", async ({ page }) => {
  const inv = index.scenarios.find((s) => s.investigation);
  const invPath = `scenarios/${inv.pack}/${inv.slug}/`;
  const { started, finished, path } = timeline(page);
  await page.goto(invPath);
  await page.locator("#app[data-ready]").waitFor();
  // The page's own bundle sends for the full loop at once; the data comes with the HTML.
  const wasm = Object.keys(started).find((p) => /\/practice-[0-9a-f]+_bg\.wasm$/.test(p));
  expect(wasm, "the full loop was loaded without an interaction").toBeTruthy();
  for (const data of ["data/index.json", `${invPath}scenario.json`, `${invPath}investigation.json`]) {
    const p = path(data);
    expect(p, `${data} was requested`).toBeTruthy();
    expect(started[p], `${data} left before the wasm arrived`).toBeLessThanOrEqual(finished[wasm]);
  }
  await expectOneRequestEach(page);
});

test("a plain scenario's page needs no data to write and commit; the full loop's data comes beside its code", async ({ page }) => {
  expect(first.investigation, "the first scenario is a plain one").toBeFalsy();
  const { started, finished, path } = timeline(page);
  await page.goto(firstPath);
  await page.locator("#practice[data-write]").waitFor({ state: "attached" });
  // Only the write bundle: no data file and not the full loop, until the learner does something.
  await page.waitForTimeout(500);
  expect(path("_bg.wasm")).toMatch(/\/write-[0-9a-f]+_bg\.wasm$/);
  expect(Object.keys(started).filter((p) => p.endsWith(".json") || /practice-/.test(p))).toEqual([]);
  await expect(page.locator("#app[data-ready]")).toHaveCount(0);
  await ready(page);
  const full = Object.keys(started).find((p) => /\/practice-[0-9a-f]+_bg\.wasm$/.test(p));
  expect(full, "the full loop was loaded at the first interaction").toBeTruthy();
  for (const data of ["data/index.json", `${firstPath}scenario.json`]) {
    const p = path(data);
    expect(p, `${data} was requested`).toBeTruthy();
    expect(started[p], `${data} left before the full loop's wasm arrived`).toBeLessThanOrEqual(finished[full]);
  }
  await expectOneRequestEach(page);
});
