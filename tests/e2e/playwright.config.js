// Browser tests run against the release build in Debian's Chromium (Playwright never downloads
// a browser here), served twice by a GitHub-Pages-like server: under /senior-leap/ like a project
// site, and at / — the same build must work at both.
import { defineConfig } from "@playwright/test";

const DIST = process.env.LEAP_DIST ?? "../../dist";
export const SUB_PATH = "/senior-leap/";
export const SUB_PORT = 4173;
export const ROOT_PORT = 4174;

export default defineConfig({
  testDir: "specs",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${SUB_PORT}${SUB_PATH}`,
    // The offline worker is tested on its own (specs/offline.spec.js); elsewhere it would answer
    // requests the tests mean to observe on the network.
    serviceWorkers: "block",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      // The evaluator's tests talk to this stand-in for every provider.
      command: "python3 ../mock_provider/server.py --port 4180",
      url: "http://127.0.0.1:4180/api/tags",
      reuseExistingServer: false,
    },
    {
      command: `node pages-server.mjs --dir ${DIST} --prefix ${SUB_PATH} --port ${SUB_PORT}`,
      url: `http://127.0.0.1:${SUB_PORT}${SUB_PATH}`,
      reuseExistingServer: false,
    },
    {
      command: `node pages-server.mjs --dir ${DIST} --prefix / --port ${ROOT_PORT}`,
      url: `http://127.0.0.1:${ROOT_PORT}/`,
      reuseExistingServer: false,
    },
  ],
});
