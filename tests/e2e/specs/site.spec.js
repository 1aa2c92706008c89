// The site as a whole: the app takes over pre-rendered pages without changing them, 404s behave
// like GitHub Pages, the same build works at / too, and pages are usable by keyboard, on a phone
// and in dark mode.
import { test, expect, siteIndex, ready } from "./fixtures.js";

const index = siteIndex();
const first = index.scenarios[0];
const pages = ["./", "how-it-works/", `scenarios/${first.pack}/${first.slug}/`];

// Normalises markup for comparison: comments (Leptos' markers) and whitespace between tags do
// not render; attribute order does not matter.
function normalise(html) {
  const doc = new DOMParser().parseFromString(`<div id="root">${html}</div>`, "text/html");
  const walk = (node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === Node.COMMENT_NODE) child.remove();
      else if (child.nodeType === Node.TEXT_NODE && child.textContent === "") child.remove();
      else if (child.nodeType === Node.ELEMENT_NODE) {
        const attrs = [...child.attributes].map((a) => [a.name, a.value]).sort();
        for (const [name] of attrs) child.removeAttribute(name);
        for (const [name, value] of attrs) child.setAttribute(name, value);
        walk(child);
      }
    }
    node.normalize();
  };
  const root = doc.getElementById("root");
  walk(root);
  return root.innerHTML.replace(/>\s+</g, "><");
}

for (const path of pages) {
  test(`takes over ${path} without changing what is on screen`, async ({ page, request }) => {
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    const raw = await (await request.get(path)).text();
    await page.goto(path);
    await ready(page);
    const [before, after] = await page.evaluate(
      ([raw, normaliseSource]) => {
        const normalise = new Function(`return (${normaliseSource})`)();
        const staticApp = new DOMParser().parseFromString(raw, "text/html").getElementById("app");
        // The practice section is the app's own: it reads the learner's data, which only the browser has.
        // (A plain scenario's page carries an editor for the time before the app arrives; that it
        // stays in place is firstpaint.spec.js's to check.)
        staticApp.querySelector("#practice")?.remove();
        // So are the "Quote into answer" buttons it adds to the briefing's artifacts (their room is
        // kept from the first paint, which the layout-shift check below holds it to).
        const live = document.getElementById("app").cloneNode(true);
        live.querySelector("#practice")?.remove();
        live.querySelectorAll(".artifact > button.quote-into").forEach((b) => b.remove());
        return [normalise(staticApp.innerHTML), normalise(live.innerHTML)];
      },
      [raw, normalise.toString()],
    );
    expect(after).toBe(before);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.__shift)).toBe(0);
  });
}

// Settings and Progress replace a short placeholder with a longer page: nothing already on screen
// (the footer under a short placeholder) may move when they do, wide or on Lighthouse's phone.
for (const viewport of [{ width: 1280, height: 720 }, { width: 412, height: 823 }]) {
  for (const path of ["settings/", "progress/"]) {
    test(`${path} at ${viewport.width} px: taking over its placeholder shifts nothing on screen`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries())
            if (!entry.hadRecentInput)
              window.__shifts.push([entry.value, ...entry.sources.map((s) => s.node?.className ?? s.node?.nodeName ?? "?")]);
        }).observe({ type: "layout-shift", buffered: true });
      });
      await page.goto(path);
      await ready(page);
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => window.__shifts)).toEqual([]);
    });
  }
}

// Lighthouse's total blocking time counts each task's time beyond 50 ms: on Settings, the wasm's
// instantiation and the first render are the two largest pieces of start-up, so they must not
// share a task. A timer set as the instantiation resolves fires right after that task; the form
// must not be there yet (the app renders it in a later task), and must be once the app is ready.
test("settings/ renders its form in a task after the wasm's instantiation", async ({ page }) => {
  await page.addInitScript(() => {
    const instantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = (...args) =>
      instantiate(...args).then((result) => {
        setTimeout(() => {
          window.__formAfterInstantiation ??= document.querySelector("form.settings-form") !== null;
        }, 0);
        return result;
      });
  });
  await page.goto("settings/");
  await ready(page);
  await expect(page.locator("form.settings-form")).toBeVisible();
  expect(await page.evaluate(() => window.__formAfterInstantiation)).toBe(false);
});

test("typing into the search box before the app arrives is kept", async ({ page }) => {
  // Hold the wasm back so the static page is what the reader types into.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/*_bg.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("./");
  const word = first.title.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w));
  await page.locator('input[name="q"]').fill(word);
  release();
  await ready(page);
  await expect(page.getByLabel("Search")).toHaveValue(word);
  await expect(page.getByLabel("Search")).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`\\?q=${encodeURIComponent(word)}`));
  await expect(page.locator(".card h2 a", { hasText: first.title })).toBeVisible();
});

test("an unknown path gets the 404 page with status 404, and its links work at any depth", async ({ page }) => {
  const response = await page.goto("no/such/page/here");
  expect(response.status()).toBe(404);
  await expect(page.locator("h1")).toHaveText("Page not found");
  await expect(page).toHaveTitle(`Page not found — ${index.title}`);
  await ready(page);
  await page.getByRole("link", { name: "How it works" }).click();
  await expect(page.locator("h1")).toHaveText("How it works");
  await expect(page).toHaveURL(/\/senior-leap\/how-it-works\/$/);
});

test("the same build works at the root of a host", async ({ page }) => {
  const root = "http://127.0.0.1:4174/";
  await page.goto(root);
  await ready(page);
  // The first page of cards (catalog.spec.js checks "Show more").
  await expect(page.locator(".cards > li")).toHaveCount(Math.min(24, index.scenarios.length));
  const deep = `${root}scenarios/${first.pack}/${first.slug}/`;
  const response = await page.goto(deep);
  expect(response.status()).toBe(200);
  await ready(page);
  await expect(page.locator("h1")).toHaveText(first.title);
  await page.getByRole("link", { name: "How it works" }).click();
  await expect(page).toHaveURL(`${root}how-it-works/`);
});

// Issue 11: what these pages download must not grow with the pack. They need only the site's
// name, which the page carries, so the index of every scenario is neither preloaded nor fetched.
for (const path of ["./", "how-it-works/", "progress/", "no/such/page/"]) {
  test(`${path} starts without the site index`, async ({ page }) => {
    const data = [];
    page.on("request", (r) => r.url().includes("/data/") && data.push(r.url()));
    await page.goto(path);
    await ready(page);
    await page.waitForTimeout(200);
    expect(data).toEqual([]);
    // The header still names the site, as the app needs it (Progress's exports carry it).
    await expect(page.locator(".site-header .brand-name")).toHaveText(index.title);
  });
}

test("how it works is a real page", async ({ page }) => {
  const response = await page.goto("how-it-works/");
  expect(response.status()).toBe(200);
  await expect(page.locator("h1")).toHaveText("How it works");
  await ready(page);
  await expect(page.locator('nav a[aria-current="page"]')).toHaveText("How it works");
});

test("keyboard: skip link, then a card opens with Enter", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main")).toBeFocused();
  // Tab through the filters to the first card's link.
  const firstCard = page.locator(".card h2 a").first();
  for (let i = 0; i < 12 && !(await firstCard.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(firstCard).toBeFocused();
  const title = await firstCard.textContent();
  await page.keyboard.press("Enter");
  await expect(page.locator("h1")).toHaveText(title);
});

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });
  for (const path of pages) {
    test(`${path} does not scroll sideways`, async ({ page }) => {
      await page.goto(path);
      await ready(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(360);
    });
  }
});

test("dark mode follows the system", async ({ browser, baseURL }) => {
  const colour = async (scheme) => {
    const context = await browser.newContext({ colorScheme: scheme, baseURL });
    const page = await context.newPage();
    await page.goto("./");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await context.close();
    return bg;
  };
  const [light, dark] = [await colour("light"), await colour("dark")];
  expect(light).not.toBe(dark);
  const luminance = (rgb) => rgb.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0);
  expect(luminance(dark)).toBeLessThan(luminance(light));
});

// Accessibility (axe: every rule, any impact, every page and state, light and dark) is a11y.spec.js's.
