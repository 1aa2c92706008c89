// The page's defences in a real browser: every page carries a Content-Security-Policy under which
// the app boots and grades with no violation, while a script injected into the page, an event
// handler, eval, an unlisted inline style and a request to an address no evaluator can have are
// all refused; no page sends a referrer and outside links get no handle on the page; Settings
// warns, before a key is remembered, when other sites share the site's origin.
import { test, expect, siteIndex, ready, chooseLocalModel, MOCK } from "./fixtures.js";
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import config, { SUB_PATH, SUB_PORT } from "../playwright.config.js";

const DIST = resolve(process.env.LEAP_DIST ?? "../../dist");
const index = siteIndex();
const scenario = index.scenarios.find((s) => s.slug === "edge-cpu-regex") ?? index.scenarios[0];
const scenarioPath = `scenarios/${scenario.pack}/${scenario.slug}/`;
const ROOT_SITE = "http://127.0.0.1:4174/";

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
}
const violations = (page) => page.evaluate(() => window.__violations);

/**
 * The browser logs each refusal as a console error, which the shared guard counts as a failure:
 * take out exactly the refusals a test provoked on purpose, and insist they were logged.
 */
function expectRefusals(guard, patterns) {
  for (const pattern of patterns) {
    const refusal = (p) => p.includes("Content Security Policy") && pattern.test(p);
    expect(guard.some(refusal), `no console refusal matching ${pattern} in:\n${guard.join("\n")}`).toBe(true);
    guard.splice(0, guard.length, ...guard.filter((p) => !refusal(p)));
  }
}

/** The page's policy, directive by directive. */
async function policy(page) {
  const text = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  return Object.fromEntries(
    text.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]),
  );
}

const pages = [
  ["the catalog", "./"],
  ["how it works", "how-it-works/"],
  ["progress", "progress/"],
  ["settings", "settings/"],
  ["a scenario", scenarioPath],
  ["the 404 page", "no/such/page/"],
  ["the catalog at the root of a host", ROOT_SITE],
  ["a scenario at the root of a host", `${ROOT_SITE}${scenarioPath}`],
];

for (const [name, path] of pages) {
  test(`${name} boots under its Content-Security-Policy with no violation and sends no referrer`, async ({ page }) => {
    await watchViolations(page);
    await page.goto(path);
    await ready(page);
    const csp = await policy(page);
    expect(csp["default-src"]).toEqual(["'none'"]);
    expect(csp["script-src"].slice(0, 2)).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp["script-src"].slice(2).every((s) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(s))).toBe(true);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["form-action"]).toEqual(["'none'"]);
    expect(csp["connect-src"]).toEqual(["'self'", "https:", "http://localhost:*", "http://*.localhost:*", "http://127.0.0.1:*"]);
    // The policy governs only what follows it: nothing but the character set may come first.
    const before = await page.evaluate(() => {
      const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      const all = [...document.head.children];
      return all.slice(0, all.indexOf(meta)).map((e) => e.outerHTML);
    });
    expect(before).toEqual(['<meta charset="utf-8">']);
    await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
    // Every inline script of the page ran (the app booted) and every one is allowed by hash.
    expect(await violations(page)).toEqual([]);
  });
}

// The stylesheet is inside every page (issue 11: no render-blocking request before the first
// paint), allowed by the hash of exactly its text; a <style> injected into the page is refused.
for (const [name, path] of [
  ["the catalog", "./"],
  ["a scenario", scenarioPath],
  ["settings", "settings/"],
  ["progress", "progress/"],
  ["the 404 page", "no/such/page/"],
]) {
  test(`${name} paints with its inline stylesheet, allowed by its hash, and refuses an injected one`, async ({ page, guard }) => {
    await watchViolations(page);
    const css = [];
    page.on("request", (r) => {
      if (r.resourceType() === "stylesheet" || /\.css(\?|$)/.test(r.url())) css.push(r.url());
    });
    await page.goto(path);
    await ready(page);
    const sheet = await page.evaluate(async () => {
      const styles = [...document.querySelectorAll("style")];
      const bytes = new TextEncoder().encode(styles[0]?.textContent ?? "");
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      return {
        elements: styles.length,
        inHead: styles.every((s) => s.parentElement === document.head),
        links: document.querySelectorAll('link[rel~="stylesheet"]').length,
        hash: `'sha256-${btoa(String.fromCharCode(...digest))}'`,
        rules: document.styleSheets[0]?.cssRules.length ?? 0,
        background: getComputedStyle(document.body).backgroundColor,
        margin: getComputedStyle(document.body).margin,
      };
    });
    expect(css).toEqual([]);
    expect(sheet.links).toBe(0);
    expect(sheet.elements).toBe(1);
    expect(sheet.inHead).toBe(true);
    expect((await policy(page))["style-src"]).toContain(sheet.hash);
    // The site's rules apply (a browser's own style has a white page with an 8 px margin).
    expect(sheet.rules).toBeGreaterThan(50);
    expect(sheet.margin).toBe("0px");
    expect(sheet.background).not.toBe("rgba(0, 0, 0, 0)");
    expect(await violations(page)).toEqual([]);

    const injected = await page.evaluate(() => {
      const style = document.createElement("style");
      style.textContent = "body { margin: 7px }";
      document.head.append(style);
      return getComputedStyle(document.body).margin;
    });
    expect(injected).toBe("0px");
    expect(await violations(page)).toEqual([{ directive: "style-src-elem", blocked: "inline" }]);
    expectRefusals(guard, [/inline style/]);
  });
}

const commitAnswer = async (page) => {
  await page.goto(scenarioPath);
  await ready(page);
  await page.getByLabel("Reasoning").fill("Every PoP went to 100 % CPU in the same minute: the WAF rule deploy. The regex backtracks.");
  await page.getByLabel("Uncertainty").fill("Whether the kill switch works while CPU is pegged.");
  await page.getByLabel("Commitment").fill("Pull the global WAF kill switch now, then roll the rule back.");
  await page.getByLabel("Confidence").fill("70");
  await page.getByRole("button", { name: "Commit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "The rubric", exact: true })).toBeVisible();
};

test("a grading against a model server on this machine streams in under the policy", async ({ page }) => {
  await watchViolations(page);
  await chooseLocalModel(page, MOCK);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Connected" })).toContainText("“qwen3:8b” is available");
  expect(await violations(page)).toEqual([]);

  await commitAnswer(page);
  await page.getByRole("button", { name: "Get feedback" }).click();
  const card = page.locator(".feedback-card");
  await expect(card).toHaveCount(1, { timeout: 10_000 });
  await expect(card.locator(".score")).toContainText(/The evaluator's verdicts score \d+ %/);
  expect(await violations(page)).toEqual([]);
});

test("a script injected into the page does not run, nor does an event handler or eval", async ({ page, guard }) => {
  await watchViolations(page);
  await page.goto(scenarioPath);
  await ready(page);
  const outcome = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true;";
    document.body.append(script);
    const holder = document.createElement("div");
    holder.innerHTML = '<img src="missing-image.png" onerror="window.__handler = true">';
    document.body.append(holder);
    // A string for the page to compile later (eval as such is exempt when the test calls it).
    setTimeout("window.__evaluated = true;", 0);
    await new Promise((r) => setTimeout(r, 300));
    return { injected: window.__injected ?? false, handler: window.__handler ?? false, evaluated: window.__evaluated ?? false };
  });
  expect(outcome).toEqual({ injected: false, handler: false, evaluated: false });
  const seen = await violations(page);
  expect(seen).toContainEqual({ directive: "script-src-elem", blocked: "inline" });
  expect(seen).toContainEqual({ directive: "script-src-attr", blocked: "inline" });
  expect(seen).toContainEqual({ directive: "script-src", blocked: "eval" });
  expectRefusals(guard, [/inline script/, /inline event handler/, /eval/]);
});

test("a script that reaches the page's markup is not allowed by the page's hashes", async ({ page, guard }) => {
  // As if a pack's text had slipped past the compiler into the page: the policy's hashes are
  // those of the template's scripts, computed before any content is added.
  await page.route(`**/${scenarioPath}`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('<div id="app">', '<div id="app"><script>window.__fromContent = true;</script>');
    await route.fulfill({ response, body: html });
  });
  await watchViolations(page);
  await page.goto(scenarioPath);
  await ready(page);
  expect(await page.evaluate(() => window.__fromContent ?? false)).toBe(false);
  expect(await violations(page)).toEqual([{ directive: "script-src-elem", blocked: "inline" }]);
  expectRefusals(guard, [/inline script/]);
});

test("aligned Markdown tables keep their alignment; any other inline style is refused", async ({ page, guard }) => {
  await watchViolations(page);
  await page.goto(scenarioPath);
  await ready(page);
  await page.getByLabel("Reasoning").fill("| left | centre | right |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n[a source](https://example.com/postmortem)");
  await page.getByLabel("Show Markdown preview").check();
  const preview = page.getByLabel("Reasoning, preview");
  await expect(preview.locator("th")).toHaveCount(3);
  const aligned = await preview.locator("th").evaluateAll((ths) => ths.map((th) => getComputedStyle(th).textAlign));
  expect(aligned).toEqual(["left", "center", "right"]);
  // A link in an answer opens elsewhere without a handle on this page or a referrer.
  const rel = await preview.getByRole("link", { name: "a source" }).getAttribute("rel");
  expect(rel.split(" ")).toEqual(expect.arrayContaining(["noopener", "noreferrer"]));
  expect(await violations(page)).toEqual([]);

  const colour = await page.evaluate(() => {
    const holder = document.createElement("div");
    holder.innerHTML = '<p style="color: rgb(255, 0, 0)">styled</p>';
    document.body.append(holder);
    return getComputedStyle(holder.firstChild).color;
  });
  expect(colour).not.toBe("rgb(255, 0, 0)");
  expect(await violations(page)).toEqual([{ directive: "style-src-attr", blocked: "inline" }]);
  expectRefusals(guard, [/inline style/]);
});

test("requests go only to the site, HTTPS servers and this machine", async ({ page, guard }) => {
  await watchViolations(page);
  await page.goto("./");
  await ready(page);
  // A plain-HTTP server elsewhere on the network is no address an evaluator may have.
  const result = await page.evaluate(() =>
    fetch("http://192.0.2.1:9/v1/models").then(
      () => "sent",
      (e) => e.name,
    ),
  );
  expect(result).toBe("TypeError");
  expect(await violations(page)).toEqual([{ directive: "connect-src", blocked: "http://192.0.2.1:9/v1/models" }]);
  expectRefusals(guard, [/192\.0\.2\.1/]);
});

test("outside links in every built page and data file carry rel=\"noopener noreferrer\"", () => {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(html|json)$/.test(name)) files.push(path);
    }
  };
  walk(DIST);
  let links = 0;
  const bare = [];
  for (const file of files) {
    // JSON keeps the markup in strings: unescape the quotes to read it as HTML.
    const text = readFileSync(file, "utf8").replaceAll('\\"', '"');
    for (const [tag] of text.matchAll(/<a\s[^>]*>/g)) {
      links += 1;
      if (/href="https?:/.test(tag) && !/rel="[^"]*\bnoopener\b[^"]*\bnoreferrer\b/.test(tag)) bare.push(`${file}: ${tag}`);
    }
  }
  expect(bare).toEqual([]);
  // The scan reads the markup at all (today's content links outside only from rubric references,
  // rendered by the app and checked below; the compiler's own test covers Markdown links).
  expect(links).toBeGreaterThan(100);
});

test("the rubric's references open without a handle on the page", async ({ page }) => {
  await commitAnswer(page);
  const links = page.locator(".references a");
  expect(await links.count()).toBeGreaterThan(0);
  for (const rel of await links.evaluateAll((as) => as.map((a) => a.rel))) {
    expect(rel.split(" ")).toEqual(expect.arrayContaining(["noopener", "noreferrer"]));
  }
});

const remember = (page) => page.getByLabel("Remember on this device");

test("Settings says, before a key is remembered, that other pages on a shared address can read it", async ({ page }) => {
  await page.goto("settings/");
  await ready(page);
  const notice = page.locator("#remember-risk");
  await expect(notice).toHaveText(
    `This site is served from ${SUB_PATH} on http://127.0.0.1:${SUB_PORT}, an address other pages may share. Every page served from http://127.0.0.1:${SUB_PORT} can read what this site keeps in this browser, including a key you ask it to remember. Leave \u201cRemember on this device\u201d unticked here, or use this site from an address of its own (a custom domain).`,
  );
  // Read before the box, and read out with it.
  const order = await page.evaluate(() => {
    const n = document.getElementById("remember-risk");
    const box = document.querySelector('input[type="checkbox"][aria-describedby~="remember-risk"]');
    return box ? n.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
  });
  expect(order).toBeTruthy();
  await expect(remember(page)).toHaveAccessibleDescription(/Every page served from .* can read what this site keeps in this browser/);
});

test("Settings at the root of an address of its own has no shared-origin notice", async ({ page }) => {
  await page.goto(`${ROOT_SITE}settings/`);
  await ready(page);
  await expect(page.locator("#remember-risk")).toHaveCount(0);
  await expect(remember(page)).toHaveAccessibleDescription(/^Unticked, the key is forgotten when you close the browser\./);
});

test("Settings on a GitHub Pages address warns that every site of the account shares it", async () => {
  // The address must really be someone.github.io (the page reads its own location), over HTTPS
  // as GitHub Pages serves it: Chromium resolves the name to this machine, and a TLS front with a
  // throwaway certificate forwards to the site.
  const dir = mkdtempSync(join(tmpdir(), "leap-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=someone.github.io", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  const front = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
    const upstream = httpRequest({ host: "127.0.0.1", port: SUB_PORT, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on("error", (e) => res.destroy(e));
    req.pipe(upstream);
  });
  await new Promise((r) => front.listen(0, "127.0.0.1", r));
  const port = front.address().port;
  const launch = config.use.launchOptions;
  const browser = await chromium.launch({ ...launch, args: [...launch.args, "--host-resolver-rules=MAP someone.github.io 127.0.0.1"] });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const problems = [];
    page.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
    page.on("pageerror", (err) => problems.push(err.message));
    await watchViolations(page);
    await page.goto(`https://someone.github.io:${port}${SUB_PATH}settings/`);
    await ready(page);
    await expect(page.locator("#remember-risk")).toHaveText(
      `This site is served from https://someone.github.io:${port}, an address GitHub Pages gives every site of the same account. Every page served from https://someone.github.io:${port} can read what this site keeps in this browser, including a key you ask it to remember. Leave \u201cRemember on this device\u201d unticked here, or use this site from an address of its own (a custom domain).`,
    );
    await expect(remember(page)).toHaveAccessibleDescription(/an address GitHub Pages gives every site of the same account/);
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    front.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
