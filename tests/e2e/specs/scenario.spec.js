// Scenario pages: open from the catalog without a reload, load directly from a deep link,
// read without JavaScript, and show situation, artifacts, the ask and the primer.
import { test, expect, siteIndex, ready } from "./fixtures.js";

const index = siteIndex();
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
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.length);
});

test("moves between pages of one bundle without reloading", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  await page.evaluate(() => (window.__sameDocument = true));
  await page.getByRole("link", { name: "How it works" }).click();
  await expect(page.locator("h1")).toHaveText("How it works");
  await expect(page).toHaveTitle(`How it works — ${index.title}`);
  await page.getByRole("link", { name: "Scenarios" }).first().click();
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.length);
  await page.goBack();
  await expect(page.locator("h1")).toHaveText("How it works");
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
});

test("every scenario's deep link is a real page with its own title and description", async ({ page, request }) => {
  for (const s of index.scenarios) {
    const response = await request.get(`scenarios/${s.pack}/${s.slug}/`);
    expect(response.status(), s.slug).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<title>${escapeHtml(s.title)} — ${escapeHtml(index.title)}</title>`);
    expect(html).toContain(`<meta name="description" content="${escapeHtml(s.hook)}">`);
    expect(html).toContain('id="situation"');
  }
  const response = await page.goto(firstPath);
  expect(response.status()).toBe(200);
  await ready(page);
  await expect(page.locator("h1")).toHaveText(first.title);
});

test("a directory link without its slash is redirected, like GitHub Pages", async ({ page }) => {
  const response = await page.goto(firstPath.replace(/\/$/, ""));
  expect(response.status()).toBe(200);
  await expect(page).toHaveURL(new RegExp(`${firstPath}$`));
  await ready(page);
});

test("reads without JavaScript", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await page.goto(firstPath);
  await expect(page.locator("h1")).toHaveText(first.title);
  await expect(page.locator(".artifact").first()).toBeVisible();
  await expect(page.locator("#the-ask + .prose")).not.toBeEmpty();
  await context.close();
});

test("the primer sits behind a disclosure", async ({ page }) => {
  const withPrimer = [];
  for (const s of index.scenarios) {
    const body = await (await page.request.get(`scenarios/${s.pack}/${s.slug}/scenario.json?v=${index.build}`)).json();
    if (body.primer) withPrimer.push(s);
  }
  test.skip(withPrimer.length === 0, "no scenario has a primer");
  const s = withPrimer[0];
  await page.goto(`scenarios/${s.pack}/${s.slug}/`);
  await ready(page);
  const primer = page.locator("details.primer");
  await expect(primer).not.toHaveAttribute("open", "");
  await primer.locator("summary").click();
  await expect(primer).toHaveAttribute("open", "");
  await expect(primer.locator(".prose")).toBeVisible();
});

test("an unknown scenario in a known shape shows not found", async ({ page }) => {
  const response = await page.goto(`scenarios/${first.pack}/no-such-scenario/`);
  expect(response.status()).toBe(404);
  await expect(page.locator("h1")).toHaveText("Page not found");
  await ready(page);
  await expect(page.locator("h1")).toHaveText("Page not found");
  await page.getByRole("link", { name: "Browse all scenarios" }).click();
  await expect(page.locator(".cards > li")).toHaveCount(index.scenarios.length);
});

function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

test("no waterfall: the page's data is requested with the HTML, never after the wasm", async ({ page }) => {
  const started = {};
  const finished = {};
  page.on("request", (r) => (started[new URL(r.url()).pathname] ??= Date.now()));
  page.on("requestfinished", (r) => (finished[new URL(r.url()).pathname] ??= Date.now()));
  await page.goto(firstPath);
  await ready(page);
  const path = (suffix) => Object.keys(started).find((p) => p.endsWith(suffix));
  const wasm = path("_bg.wasm");
  for (const data of ["data/index.json", `${firstPath}scenario.json`]) {
    const p = path(data);
    expect(p, `${data} was requested`).toBeTruthy();
    expect(started[p], `${data} left before the wasm arrived`).toBeLessThanOrEqual(finished[wasm]);
  }
  // One request each: the preload is what the app uses, not a second download.
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.reload();
  await ready(page);
  expect(requests.filter((p) => p.endsWith("/data/index.json"))).toHaveLength(1);
  expect(requests.filter((p) => p.endsWith("/scenario.json"))).toHaveLength(1);
});
