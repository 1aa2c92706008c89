// Offline after the first visit: the service worker `leap build` writes keeps the shell, the
// catalog and every scenario the learner opened; drafts, commit, self-review and progress work
// with the network off; the evaluator says it is offline; a new deploy is offered, not mixed in.
import { test, expect, siteIndex, ready, chooseLocalModel } from "./fixtures.js";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { spawn } from "node:child_process";

test.use({ serviceWorkers: "allow" });
// One worker file for the whole site: the deploy test changes it, so these run one at a time.
test.describe.configure({ mode: "serial" });
const SW = resolve(process.env.LEAP_DIST ?? "../../dist", "sw.js");

const index = siteIndex();
const scenario = index.scenarios.find((s) => !s.investigation) ?? index.scenarios[0];
const path = `scenarios/${scenario.pack}/${scenario.slug}/`;

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
}

// Chromium's offline emulation does not reach a service worker's own fetches, so the network is
// cut for real: this test serves the build from a server of its own and stops it.
const OWN_PORT = 4186;
test.describe("with the site's server gone", () => {
  test.use({
    baseURL: `http://127.0.0.1:${OWN_PORT}/senior-leap/`,
    // With the server gone the browser still tries it (the worker's update check, the network-first
    // page fetch before the cache answers) and reports each refusal: expected, and only this.
    expectedConsoleErrors: [/^Failed to load resource: net::ERR_CONNECTION_REFUSED$/],
  });
  let server;
  test.beforeEach(async () => {
    const dist = resolve(process.env.LEAP_DIST ?? "../../dist");
    server = spawn("node", ["pages-server.mjs", "--dir", dist, "--prefix", "/senior-leap/", "--port", String(OWN_PORT)], { stdio: "ignore" });
    for (let i = 0; i < 50; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${OWN_PORT}/senior-leap/`)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the test's own server did not start");
  });
  test.afterEach(() => server?.kill());

  test("after one visit Settings works without the site's server, its connection test too", async ({ page }) => {
    const { MOCK } = await import("./fixtures.js");
    await page.goto("settings/");
    await ready(page);
    await controlled(page);
    server.kill();
    await new Promise((r) => setTimeout(r, 300));
    // The page and the connection test (a bundle loaded only when pressed) come from the worker's
    // cache; the model server on this machine is still there.
    await chooseLocalModel(page, MOCK);
    await expect(page.locator(".save-state")).toContainText("Saved");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Connected" })).toContainText("“qwen3:8b” is available");
  });

  test("after one visit Progress works without the site's server, export and import too", async ({ page }) => {
    await page.goto("progress/");
    await ready(page);
    await controlled(page);
    server.kill();
    await new Promise((r) => setTimeout(r, 300));
    // The page and its export/import (a bundle loaded only when pressed) come from the worker's cache.
    await page.goto("progress/");
    await ready(page);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export", exact: true }).click();
    const exported = readFileSync(await (await download).path());
    await expect(page.getByRole("status").filter({ hasText: "Exported to" })).toBeVisible();
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await (await chooser).setFiles({ name: "export.json", mimeType: "application/json", buffer: exported });
    await expect(page.getByRole("status").filter({ hasText: "Imported" })).toBeVisible();
  });

  test("after one visit the catalog and an opened scenario work offline, through commit and progress", async ({ page }) => {
    await page.goto("./");
    await ready(page);
    await controlled(page);
    // Opening a scenario online is what keeps it (and its rubric) for offline use.
    await page.goto(path);
    await ready(page);
    await page.waitForTimeout(800);

    server.kill();
    await new Promise((r) => setTimeout(r, 300));
    await page.goto("./");
    await ready(page);
    await expect(page.locator(".card").first()).toBeVisible();
    await page.goto(path);
    await ready(page);
    await expect(page.locator("h1")).toHaveText(scenario.title);
    await page.getByLabel("Reasoning").fill("Offline, I still reason: the push reached every site at once.");
    await page.getByLabel("Commitment").fill("Roll the push back first.");
    await page.getByLabel("Confidence").focus();
    await page.keyboard.press("ArrowRight");
    await page.getByRole("button", { name: "Commit", exact: true }).click();
    await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();

    await page.goto("progress/");
    await ready(page);
    await expect(page.locator(".lead")).toContainText("1 committed attempt");
    // A page never opened before gets a plain offline page, not a browser error.
    const other = index.scenarios.find((s) => s.slug !== scenario.slug);
    await page.goto(`scenarios/${other.pack}/${other.slug}/`);
    await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  });
});

test("the evaluator says it is offline, and the attempt stays", async ({ page, context }) => {
  await page.goto("settings/");
  await ready(page);
  await controlled(page);
  await page.getByLabel("Provider").selectOption("ollama");
  await page.getByLabel("Base URL").fill("http://127.0.0.1:4180");
  await page.getByLabel("Base URL").blur();
  await page.getByLabel("Model", { exact: true }).fill("qwen3:8b");
  await page.goto(path);
  await ready(page);
  await page.waitForTimeout(500);
  await context.setOffline(true);
  await page.getByLabel("Reasoning").fill("The push reached every site at once.");
  await page.getByLabel("Commitment").fill("Roll the push back first.");
  await page.getByLabel("Confidence").focus();
  await page.keyboard.press("ArrowRight");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await page.getByRole("button", { name: "Get feedback" }).click();
  await expect(page.locator(".feedback").getByRole("alert")).toContainText("You are offline");
  await context.setOffline(false);
});

test("a new deploy waits for the learner: 'A new version of the site is ready'", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  await controlled(page);
  // Simulate a deploy: the site now serves a changed worker.
  const original = readFileSync(SW, "utf8");
  writeFileSync(SW, original.replace(/const BUILD = "([^"]+)";/, 'const BUILD = "$1-next";'));
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  } finally {
    writeFileSync(SW, original);
  }
  const notice = page.getByRole("status").filter({ hasText: "A new version of the site is ready." });
  await expect(notice).toBeVisible({ timeout: 15_000 });
  await Promise.all([page.waitForEvent("load"), notice.getByRole("button", { name: "Reload" }).click()]);
  await ready(page);
  await expect(notice).toHaveCount(0);
});
