import { defineConfig, devices } from "@playwright/test";
import canary from "./tests/support/token-canary.json" with { type: "json" };

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://127.0.0.1:${PORT}`;
/** A throwaway data directory: every e2e run starts with an empty database and sandbox. */
export const E2E_DATA_DIR = ".data-e2e";
/**
 * A second server in live mode: a real gateway token (the canary) talking to its own embedded
 * sandbox as if it were SerwerSMS. tests/e2e/secrets.spec.ts proves the token never reaches the browser.
 */
const LIVE_PORT = PORT + 10;
export const LIVE_BASE_URL = `http://127.0.0.1:${LIVE_PORT}`;
const LIVE_DATA_DIR = `${E2E_DATA_DIR}-live`;

export default defineConfig({
  testDir: "./tests/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: process.env.CI ? [["line"]] : [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: E2E_BASE_URL,
    trace: "retain-on-failure",
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // --no-sandbox: CI runs as root. The network flags stop Chromium calling Google services,
      // which this machine's closed network refuses (e2e must never reach the internet).
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "chromium", dependencies: ["setup"] },
  ],
  webServer: [
    {
      // Requires `next build` first (scripts/test.sh does it).
      command: `rm -rf ${E2E_DATA_DIR} && exec npx --no-install next start -p ${PORT} -H 127.0.0.1`,
      url: `${E2E_BASE_URL}/signin`,
      reuseExistingServer: false,
      timeout: 90_000,
      stdout: "pipe",
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(PORT),
        DATA_DIR: E2E_DATA_DIR,
        SANDBOX_ADMIN: "1",
        SANDBOX_URL_ALLOWLIST: "127.0.0.1",
        // Short, so the timing-out-gateway cases finish quickly.
        SERWERSMS_TIMEOUT_MS: "5000",
        SERWERSMS_TOKEN: "",
        SERWERSMS_USERNAME: "",
        SERWERSMS_PASSWORD: "",
        SERWERSMS_API_URL: "",
      },
    },
    {
      // The server log is kept so the secrets test can check no log line holds the token.
      command: `rm -rf ${LIVE_DATA_DIR} && mkdir -p ${LIVE_DATA_DIR} && exec npx --no-install next start -p ${LIVE_PORT} -H 127.0.0.1 > ${LIVE_DATA_DIR}/server.log 2>&1`,
      url: `${LIVE_BASE_URL}/signin`,
      reuseExistingServer: false,
      timeout: 90_000,
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(LIVE_PORT),
        DATA_DIR: LIVE_DATA_DIR,
        SERWERSMS_API_URL: `${LIVE_BASE_URL}/sandbox-api/`,
        SERWERSMS_TOKEN: canary.token,
        SANDBOX_ENABLED: "1",
        SANDBOX_TOKEN: canary.token,
        // Next to live credentials the sandbox refuses to start with its published demo/demo (lib/config/env.ts).
        SANDBOX_USERNAME: "live-sandbox-user",
        SANDBOX_PASSWORD: "live-sandbox-password-1",
        ADMIN_EMAIL: canary.adminEmail,
        ADMIN_PASSWORD: canary.adminPassword,
      },
    },
  ],
});
