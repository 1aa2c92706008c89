// Shared test setup: every page is watched for console errors, uncaught exceptions and requests
// that leave the site's origin; any of them fails the test that caused it.
import { test as base, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const DIST = resolve(process.env.LEAP_DIST ?? "../../dist");

/** The built site's index, to know what the catalog should list. */
export function siteIndex() {
  return JSON.parse(readFileSync(resolve(DIST, "data/index.json"), "utf8"));
}

export const test = base.extend({
  guard: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL).origin;
      const problems = [];
      page.on("console", (msg) => {
        if (msg.type() === "error" && !/status of 404/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
      });
      page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
      page.on("request", (req) => {
        const url = new URL(req.url());
        if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin && url.origin !== "http://127.0.0.1:4174") {
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

/** Waits until the app has taken over the pre-rendered page. */
export async function ready(page) {
  await page.locator("#app[data-ready]").waitFor({ timeout: 15_000 });
}
