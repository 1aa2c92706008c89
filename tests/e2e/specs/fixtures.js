// Shared test setup: every page is watched for console errors, uncaught exceptions and requests
// that leave the site's origin; any of them fails the test that caused it. The only other origins
// allowed are the root-mounted copy of the site and the mock provider (the evaluator's tests point
// the settings at it).
import { test as base, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const DIST = resolve(process.env.LEAP_DIST ?? "../../dist");

/** The mock provider (tests/mock_provider/server.py), started by the Playwright config. */
export const MOCK = "http://127.0.0.1:4180";
/** The same mock under another origin, to prove a key is never sent to an origin it was not typed for. */
export const MOCK_OTHER_ORIGIN = "http://localhost:4180";
/** A port nothing listens on: the network failure. */
export const NOWHERE = "http://127.0.0.1:4189";
const ALLOWED = new Set(["http://127.0.0.1:4174", MOCK, MOCK_OTHER_ORIGIN, NOWHERE]);

/** The built site's index, to know what the catalog should list. */
export function siteIndex() {
  return JSON.parse(readFileSync(resolve(DIST, "data/index.json"), "utf8"));
}

/** Opens Settings and chooses a model server on this machine (Ollama's format) at `base`. */
export async function chooseLocalModel(page, base) {
  await page.goto("settings/");
  await ready(page);
  await page.getByLabel("Provider").selectOption("ollama");
  await page.getByLabel("Base URL").fill(base);
  await page.getByLabel("Base URL").blur();
  await page.getByLabel("Model", { exact: true }).fill("qwen3:8b");
}

/** A file of the build under test (LEAP_DIST, else the checkout's dist/), as text. */
export function builtFile(path) {
  return readFileSync(resolve(DIST, path), "utf8");
}

/** Whether a console error is the browser reporting a request to the mock provider that failed. */
function isProviderFailure(msg) {
  const text = msg.text();
  return [MOCK, MOCK_OTHER_ORIGIN, NOWHERE].some((o) => text.includes(o) || msg.location().url.startsWith(o));
}

export const test = base.extend({
  // Console errors a test expects by design (e.g. the offline test, where the site's server is
  // gone and the browser reports the refused connections it tries): each must match one of these.
  expectedConsoleErrors: [[], { option: true }],
  guard: [
    async ({ page, baseURL, expectedConsoleErrors }, use) => {
      const origin = new URL(baseURL).origin;
      const problems = [];
      page.on("console", (msg) => {
        // The browser logs every failed provider request (4xx, 5xx, CORS, refused): those are the
        // failures the evaluator tests provoke on purpose, and the page explains them itself.
        if (msg.type() === "error" && !/status of 404/.test(msg.text()) && !isProviderFailure(msg) && !expectedConsoleErrors.some((re) => re.test(msg.text()))) {
          problems.push(`console error: ${msg.text()}`);
        }
      });
      page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
      page.on("request", (req) => {
        const url = new URL(req.url());
        if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin && !ALLOWED.has(url.origin)) {
          problems.push(`request left the origin: ${req.url()}`);
        }
      });
      await use(problems);
      expect(problems, problems.join("\n")).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Waits until the app has taken over the pre-rendered page. A plain scenario's page starts with
 * its small write bundle and loads the whole practice loop at the learner's first interaction:
 * once the write bundle runs, a key press (Shift, which types nothing) is that interaction.
 */
export async function ready(page) {
  if (!(await page.locator("#app[data-ready]").count()) && (await page.locator("#practice[data-early]").count())) {
    // The write bundle runs, or has already handed the page over (a scenario finished before).
    await page.locator("#practice[data-write], #app[data-ready]").first().waitFor({ state: "attached", timeout: 15_000 });
    if (!(await page.locator("#app[data-ready]").count())) await page.keyboard.press("Shift");
  }
  await page.locator("#app[data-ready]").waitFor({ timeout: 15_000 });
}

/**
 * Makes the browser refuse storage to the page, as private modes and blocked site data do:
 * `localStorage` throws, and with `indexedDB: true` IndexedDB is missing too.
 */
export async function refuseStorage(page, { indexedDB = false } = {}) {
  await page.addInitScript((noIndexedDB) => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
    if (noIndexedDB) Object.defineProperty(window, "indexedDB", { get: () => undefined });
  }, indexedDB);
}

/**
 * Presses Tab (or Shift+Tab with `back`) until `locator` has the focus, as a keyboard user would
 * move to it; fails if it is not reached within `max` presses.
 */
export async function tabTo(page, locator, { back = false, max = 150 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(locator).toBeFocused();
}

/**
 * Every entry of the site's IndexedDB (where attempts live), as {key: value}. Call it only once
 * a practice page has opened the database: opening it first would create it without its store.
 */
export function storedEntries(page) {
  return page.evaluate(
    () =>
      new Promise((done, fail) => {
        const req = indexedDB.open("leap");
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction("entries");
          const keys = tx.objectStore("entries").getAllKeys();
          const values = tx.objectStore("entries").getAll();
          tx.oncomplete = () => {
            db.close();
            done(Object.fromEntries(keys.result.map((k, i) => [k, values.result[i]])));
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
}
