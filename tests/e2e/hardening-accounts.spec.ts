import fs from "node:fs";
import type { Page } from "@playwright/test";
import { AppProcess, EMBEDDED_SANDBOX_ENV } from "./support/app-process";
import { callServerAction, serverActions } from "./support/enumerate";
import { expect, test } from "./support/fixtures";
import { authStatePath, DEMO } from "./support/session";
import { addUserAsAdmin, signInElsewhere, signInWith, uniqueUser } from "./support/users";

/** Issue 11 items 1, 6 and 7 (retention): accounts, passwords, sessions, https. */

async function auditRows(page: Page, action: string, target: string) {
  await page.goto(`/admin/audit?action=${action}`);
  return page.getByRole("row").filter({ hasText: target });
}

test.describe("passwords", () => {
  test.use({ storageState: authStatePath("admin") });

  for (const [name, password, reason] of [
    ["a common password", "password1234", "Too easy to guess: This is similar to a commonly used password."],
    ["the new user's own name", "Kowalczyk-1990", "Too easy to guess: There should not be any personal or page related data."],
    ["a published demo password", "sandbox-admin", "Too easy to guess:"],
  ] as const) {
    test(`an admin cannot give a new user ${name}: the reason is shown and nobody is created`, async ({ page }) => {
      const email = `weak-${Date.now()}@example.com`;
      await page.goto("/admin");
      const form = page.getByRole("form", { name: "Add a user" });
      await form.getByLabel("E-mail").fill(email);
      await form.getByLabel("Name").fill("Anna Kowalczyk");
      await form.getByLabel(/First password/).fill(password);
      await form.getByRole("button", { name: "Add user" }).click();
      await expect(page.getByRole("status")).toContainText(reason);
      await expect(form.locator("#new-password-error")).toContainText(reason);
      await expect(form.getByLabel(/First password/)).toHaveAttribute("aria-invalid", "true");
      // Nothing was half-stored: the address is free and the form still holds what was typed.
      await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
      await expect(form.getByLabel("E-mail")).toHaveValue(email);
      await page.reload();
      await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
    });
  }
});

test.describe("password resets", () => {
  test.use({ storageState: authStatePath("admin") });

  test("resetting a password to a guessable one is refused with the reason; the old password keeps working", async ({ page, browser, baseURL }) => {
    const action = (name: string) => serverActions().find((entry) => entry.name === name)!;
    const user = uniqueUser("viewer", "reset");
    const created = await callServerAction(page.request, baseURL!, action("createUserAction"), [user]);
    const id = Number(new RegExp(`"id":(\\d+),"email":"${user.email}"`).exec(created.text)?.[1]);
    expect(id).toBeGreaterThan(0);

    const reset = await callServerAction(page.request, baseURL!, action("updateUserAction"), [{ userId: id, password: "letmein12345" }]);
    expect(reset.text).toContain('"code":"invalid"');
    expect(reset.text).toContain("Too easy to guess: This is similar to a commonly used password.");
    expect(reset.text).not.toMatch(/at \w+ \(|node_modules/);

    const other = await signInElsewhere(browser, user);
    await other.context().close();
  });
});

test.describe("sessions", () => {
  test.use({ storageState: authStatePath("admin") });

  test("a viewer finds the account page in the header and ends their other sessions, keeping this one", async ({ page, browser }) => {
    const viewer = uniqueUser("viewer", "viewer");
    await addUserAsAdmin(page, viewer);
    const laptop = await signInElsewhere(browser, viewer);
    const phone = await signInElsewhere(browser, viewer);

    await laptop.getByTestId("current-user").click();
    await expect(laptop).toHaveURL(/\/account$/);
    await expect(laptop.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await expect(laptop.getByTestId("session-count")).toHaveText("You are signed in on 2 browsers or devices, this one included.");
    await expect(laptop.getByText("A session ends after 60 minutes without use, and after 12 hours in any case.")).toBeVisible();

    // Keyboard only.
    await laptop.getByRole("button", { name: "End my other sessions" }).focus();
    await laptop.keyboard.press("Enter");
    await expect(laptop.getByRole("status")).toHaveText("Signed out of 1 other session.");
    await expect(laptop.getByTestId("session-count")).toHaveText("You are signed in on 1 browser or device, this one included.");

    await phone.goto("/media");
    await expect(phone).toHaveURL(/\/signin/);
    await laptop.goto("/media");
    await expect(laptop.getByRole("heading", { level: 1, name: "Media" })).toBeVisible();

    await expect(await auditRows(page, "other_sessions_ended", viewer.email)).toContainText("ended: 1");
    await laptop.context().close();
    await phone.context().close();
  });

  test("an admin signs a user out everywhere; the user can sign in again", async ({ page, browser }) => {
    const sender = uniqueUser("sender", "sender");
    await addUserAsAdmin(page, sender);
    const one = await signInElsewhere(browser, sender);
    const two = await signInElsewhere(browser, sender);

    await page.goto("/admin");
    await page.getByRole("button", { name: `Sign out everywhere: ${sender.email}` }).click();
    await expect(page.getByRole("status")).toHaveText(`${sender.email} was signed out everywhere (2 sessions ended).`);
    for (const other of [one, two]) {
      await other.goto("/compose");
      await expect(other).toHaveURL(/\/signin/);
    }
    await expect(await auditRows(page, "sessions_ended", sender.email)).toContainText("ended: 2");

    await signInWith(one, sender);
    await expect(one.getByTestId("current-user")).toContainText(sender.name);
    await one.context().close();
    await two.context().close();
  });

  test("the admin page marks the demo accounts, and the audit page says how long entries are kept", async ({ page }) => {
    await page.goto("/admin");
    await expect(page.getByRole("row").filter({ hasText: DEMO.viewer.email })).toContainText("demo account");
    await page.goto("/admin/audit");
    await expect(page.getByText(/entries are kept for 400 days/)).toBeVisible();
  });
});

test.describe("over plain http", () => {
  test("a forged X-Forwarded-Proto gets neither HSTS nor a Secure cookie (no proxy is trusted)", async ({ page, request }) => {
    const answer = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
    expect(answer.headers()["strict-transport-security"]).toBeUndefined();
    const api = await request.get("/api/campaigns", { headers: { "x-forwarded-proto": "https" } });
    expect(api.headers()["strict-transport-security"]).toBeUndefined();

    await page.setExtraHTTPHeaders({ "x-forwarded-proto": "https" });
    const cookies: string[] = [];
    page.on("response", async (response) => {
      const setCookie = await response.headerValue("set-cookie");
      if (setCookie?.includes("mms_session=")) cookies.push(setCookie);
    });
    await signInWith(page, DEMO.viewer);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/HttpOnly/i);
    expect(cookies[0]).not.toMatch(/;\s*Secure/i);
  });
});

/**
 * The README's path at process level: start on the sandbox, then restart with live credentials on the
 * same data. Its own server on E2E_PORT + 1 (between this run's sandbox and live servers).
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 1;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = `.data-e2e-accounts-${PORT}`;
const LIVE_ADMIN = { email: "owner@example.com", password: "Quiet-Meadow-Signal-2717" };

test.describe("sandbox first, then live credentials on the same data", () => {
  test.use({ baseURL: BASE });
  test.describe.configure({ timeout: 240_000 });

  let app: AppProcess | null = null;
  test.afterEach(async () => {
    await app?.kill();
    app = null;
  });
  test.afterAll(() => fs.rmSync(DATA_DIR, { recursive: true, force: true }));

  const liveEnv = {
    DATA_DIR,
    SERWERSMS_API_URL: `${BASE}/sandbox-api/`,
    SERWERSMS_TOKEN: "accounts-live-token",
    SANDBOX_ENABLED: "1",
    // Live mode refuses to serve the sandbox with any of its published credentials (issue 11 item 5).
    SANDBOX_TOKEN: "accounts-live-token",
    SANDBOX_USERNAME: "accounts-live-user",
    SANDBOX_PASSWORD: "accounts-live-password",
  };
  const accountsLine = (log: string[]) => log.join("").split("\n").filter((line) => line.includes("MMS dashboard: accounts:"));

  test("demo accounts stop working, ADMIN_EMAIL becomes the admin, and https brings HSTS and Secure cookies", async ({ page, request }) => {
    AppProcess.freshDataDir(DATA_DIR);

    // 1. Sandbox: the demo accounts work.
    app = new AppProcess(PORT, { DATA_DIR, ...EMBEDDED_SANDBOX_ENV });
    await app.start();
    expect(accountsLine(app.log)).toEqual([expect.stringContaining("created demo accounts admin@example.com, sender@example.com, viewer@example.com")]);
    await signInWith(page, DEMO.admin);
    await app.kill();

    // 2. Live credentials but no ADMIN_EMAIL: only demo accounts would be left, so start-up stops.
    app = new AppProcess(PORT, liveEnv);
    await expect(app.start()).rejects.toThrow(/exited \(1\)/);
    const reasons = app.log.join("").split("\n").filter((line) => line.includes("MMS dashboard cannot start"));
    expect(reasons).toEqual([
      "MMS dashboard cannot start: No enabled admin account once demo accounts are disabled for live mode: set ADMIN_EMAIL and ADMIN_PASSWORD to create one",
    ]);
    expect(app.log.join("")).not.toMatch(/^\s+at /m);
    app = null;

    // 3. Live with ADMIN_EMAIL, served as https://… behind the configured public URL.
    app = new AppProcess(PORT, { ...liveEnv, ADMIN_EMAIL: LIVE_ADMIN.email, ADMIN_PASSWORD: LIVE_ADMIN.password, PUBLIC_URL: "https://mms.example.test" });
    await app.start();
    expect(accountsLine(app.log)).toEqual([
      expect.stringMatching(/MMS dashboard: accounts: disabled 3 demo accounts \(live mode\) and ended \d+ sessions?; created admin owner@example\.com$/),
    ]);
    expect(app.log.join("")).not.toContain(LIVE_ADMIN.password);

    // The old demo session is gone, and the published passwords no longer sign in.
    await page.goto("/media");
    await expect(page).toHaveURL(/\/signin/);
    for (const demo of [DEMO.admin, DEMO.sender, DEMO.viewer]) {
      // A fresh form each time, so the alert checked is this attempt's answer, not the previous one's.
      await page.goto("/signin");
      await page.getByLabel("E-mail").fill(demo.email);
      await page.getByLabel("Password").fill(demo.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("main").getByRole("alert")).not.toBeEmpty();
      await expect(page.getByTestId("current-user")).toHaveCount(0);
      await expect(page).toHaveURL(/\/signin/);
    }

    const hsts = "max-age=31536000; includeSubDomains";
    expect((await request.get("/signin")).headers()["strict-transport-security"]).toBe(hsts);
    const unauthorized = await request.get("/api/campaigns");
    expect(unauthorized.status()).toBe(401);
    expect(unauthorized.headers()["strict-transport-security"]).toBe(hsts);

    const cookies: string[] = [];
    page.on("response", async (response) => {
      const setCookie = await response.headerValue("set-cookie");
      if (setCookie?.includes("mms_session=")) cookies.push(setCookie);
    });
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill(LIVE_ADMIN.email);
    await page.getByLabel("Password").fill(LIVE_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => cookies.length).toBe(1);
    expect(cookies[0]).toMatch(/;\s*Secure/i);
    expect(cookies[0]).toMatch(/HttpOnly/i);
  });
});
