import fs from "node:fs";
import type { BrowserContext, Page } from "@playwright/test";
import { AppProcess, EMBEDDED_SANDBOX_ENV } from "./support/app-process";
import { expect, test } from "./support/fixtures";
import { DEMO } from "./support/session";
import { addUserAsAdmin, submitSignIn, THROTTLED, WRONG } from "./support/sign-in";

/**
 * Issue 11, items 3, 4 and 7 (aggregation): the return path after sign-in, sign-in throttling keyed
 * on the real client address, and failed sign-ins kept as aggregates instead of one audit row each.
 */

/** Records every request that leaves the app's origin (and stops it: e2e never reaches the internet). */
async function watchOffOrigin(context: BrowserContext, origin: string): Promise<string[]> {
  const left: string[] = [];
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      left.push(route.request().url());
      return route.abort();
    },
  );
  return left;
}

function expectOnOrigin(page: Page, origin: string, left: string[], label: string) {
  expect(new URL(page.url()).origin, `${label}: ${page.url()}`).toBe(origin);
  expect(left, `${label}: requests to another origin`).toEqual([]);
}

test.describe("bad input: the return path after sign-in", () => {
  // Values of `next` as the page receives them (the URL carries them percent-encoded once).
  const BAD_NEXT: [string, string][] = [
    ["a TAB after the first slash (the reported /%09/evil.example)", "/\t/evil.example"],
    ["a CR after the first slash", "/\r/evil.example"],
    ["an LF after the first slash", "/\n/evil.example"],
    ["a TAB between the slashes of //", "/\t\t/evil.example"],
    ["a backslash after the first slash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["slash, backslash, slash", "/\\/evil.example"],
    ["a protocol-relative URL", "//evil.example"],
    ["dot segments that collapse into //", "/..//evil.example"],
    ["an absolute https URL", "https://evil.example/"],
    ["an absolute URL with a TAB in its scheme", "ht\ttps://evil.example/"],
    ["a javascript: URL", "javascript:alert(document.domain)"],
    ["an encoded TAB (double-encoded in the URL)", "/%09/evil.example"],
    ["an encoded backslash", "/%5C/evil.example"],
    ["an encoded slash", "/%2F/evil.example"],
    ["a relative path without a leading slash", "evil.example"],
  ];

  for (const [name, next] of BAD_NEXT) {
    test(`${name} keeps the browser on the app's origin`, async ({ page, baseURL }) => {
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const left = await watchOffOrigin(page.context(), baseURL!);
      // Through the form (the server action's redirect) …
      expect(await submitSignIn(page, DEMO.viewer.email, DEMO.viewer.password, next)).toBe("signed in");
      expectOnOrigin(page, baseURL!, left, "after signing in");
      // … and as an already signed-in visitor of /signin (the page's own redirect).
      await page.goto(`/signin?next=${encodeURIComponent(next)}`);
      await expect(page.getByTestId("current-user")).toBeVisible();
      expectOnOrigin(page, baseURL!, left, "signed-in visit");
      expect(dialogs).toEqual([]);
    });
  }

  test("a repeated next parameter is refused, not a crash", async ({ page, baseURL }) => {
    const left = await watchOffOrigin(page.context(), baseURL!);
    expect(await submitSignIn(page, DEMO.viewer.email, DEMO.viewer.password)).toBe("signed in");
    const response = await page.goto("/signin?next=%2Fmedia&next=%2F%2Fevil.example");
    expect(response?.status()).toBeLessThan(500);
    await expect(page.getByTestId("current-user")).toBeVisible();
    expectOnOrigin(page, baseURL!, left, "repeated next");
  });

  test("a same-origin path keeps its query and hash", async ({ page, baseURL }) => {
    expect(await submitSignIn(page, DEMO.viewer.email, DEMO.viewer.password, "/history?status=failed#list")).toBe("signed in");
    await expect(page).toHaveURL(`${baseURL}/history?status=failed#list`);
  });
});

test.describe("access: sign-in throttling without a proxy (TRUST_PROXY_HOPS=0)", () => {
  test("rotating forged X-Forwarded-For and peer-address headers does not dodge the throttle", async ({ browser, page }) => {
    // Our own account, so the demo accounts other specs use are never throttled.
    const user = { email: `forged-xff-${Date.now()}@example.com`, password: "the-right-password-1" };
    await addUserAsAdmin(browser, user);
    const answers: string[] = [];
    for (let i = 1; i <= 10; i++) {
      await page.setExtraHTTPHeaders({ "x-forwarded-for": `198.51.100.${i}`, "x-mms-peer-address": `203.0.113.${i}` });
      answers.push(await submitSignIn(page, user.email, "a-wrong-password"));
    }
    expect(answers.every((answer) => answer === WRONG || THROTTLED.test(answer)), answers.join("\n")).toBe(true);
    // The address is the socket's (127.0.0.1) whatever the headers say, so the growing delay applies
    // (how many get through depends on how fast the browser goes: 1 s, 2 s, 4 s … after the third).
    expect(answers.slice(0, 3), answers.join("\n")).toEqual([WRONG, WRONG, WRONG]);
    expect(answers.filter((answer) => THROTTLED.test(answer)).length, answers.join("\n")).toBeGreaterThanOrEqual(2);
  });
});

test.describe("access: sign-in throttling behind a trusted proxy (TRUST_PROXY_HOPS=1)", () => {
  // A server of its own: its demo accounts may be flooded without touching the main e2e server's.
  const PORT = Number(process.env.E2E_PORT ?? 3100) + 20;
  const DATA_DIR = ".data-e2e-proxied";
  const ATTACKER = "203.0.113.7";
  const OWNER = "198.51.100.20";
  let app: AppProcess;

  test.beforeAll(async () => {
    AppProcess.freshDataDir(DATA_DIR);
    app = new AppProcess(PORT, {
      DATA_DIR,
      TRUST_PROXY_HOPS: "1",
      ...EMBEDDED_SANDBOX_ENV,
    });
    await app.start();
  });

  test.afterAll(async () => {
    await app?.kill();
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
  });

  test.use({ baseURL: `http://127.0.0.1:${PORT}` });

  /** A browser context whose requests arrive as if our one trusted proxy had forwarded them. */
  async function viaProxy(browser: import("@playwright/test").Browser, xForwardedFor: string) {
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${PORT}`, extraHTTPHeaders: { "x-forwarded-for": xForwardedFor } });
    return { context, page: await context.newPage() };
  }

  test("a flood against one account from one address does not stop its owner signing in from another", async ({ browser }) => {
    const attacker = await viaProxy(browser, ATTACKER);
    // The attacker follows every "try again in N s": the waits grow with each failure.
    const answers: string[] = [];
    const waits: number[] = [];
    while (answers.filter((answer) => answer === WRONG).length < 7 && answers.length < 20) {
      const answer = await submitSignIn(attacker.page, DEMO.admin.email, `guess-${answers.length}`);
      answers.push(answer);
      const wait = /Try again in (\d+) s/.exec(answer);
      if (wait) {
        waits.push(Number(wait[1]));
        await attacker.page.waitForTimeout(Number(wait[1]) * 1000);
      }
    }
    expect(answers.every((answer) => answer === WRONG || THROTTLED.test(answer)), answers.join("\n")).toBe(true);
    expect(waits.length, answers.join("\n")).toBeGreaterThanOrEqual(1);
    // 7 failures: the next attempt from that address waits 2^4 = 16 s.
    // Entries the client put before the proxy's own are the client's word, not an address.
    for (let i = 1; i <= 3; i++) {
      await attacker.page.setExtraHTTPHeaders({ "x-forwarded-for": `10.0.0.${i}, ${ATTACKER}` });
      expect(await submitSignIn(attacker.page, DEMO.admin.email, `forged-${i}`)).toMatch(THROTTLED);
    }
    await attacker.context.close();

    const owner = await viaProxy(browser, OWNER);
    expect(await submitSignIn(owner.page, DEMO.admin.email, DEMO.admin.password)).toBe("signed in");
    await owner.context.close();
  });

  test("failed sign-ins are aggregated on the audit page, not written as one audit row each", async ({ browser }) => {
    const prober = await viaProxy(browser, "203.0.113.9");
    for (let i = 0; i < 4; i++) {
      const answer = await submitSignIn(prober.page, `nobody-${i}-${Date.now()}@example.com`, "whatever");
      expect(answer === WRONG || THROTTLED.test(answer), answer).toBe(true);
    }
    const guesser = await viaProxy(browser, "203.0.113.10");
    expect(await submitSignIn(guesser.page, DEMO.viewer.email, "not-the-password")).toBe(WRONG);
    expect(await submitSignIn(guesser.page, DEMO.viewer.email, "still-not-it")).toBe(WRONG);
    await prober.context.close();
    await guesser.context.close();

    const admin = await viaProxy(browser, OWNER);
    expect(await submitSignIn(admin.page, DEMO.admin.email, DEMO.admin.password)).toBe("signed in");
    await admin.page.goto("/admin/audit?action=sign_in_failed");
    await expect(admin.page.getByText(/^0 entries/)).toBeVisible();
    await admin.page.goto("/admin/audit");
    const failures = admin.page.getByRole("region", { name: "Failed sign-ins" });
    await expect(failures.getByRole("listitem").filter({ hasText: /^[34] failed sign-ins for unknown e-mail addresses from 203\.0\.113\.9, / })).toHaveCount(1);
    await expect(failures.getByRole("listitem").filter({ hasText: /^2 failed sign-ins for viewer@example\.com from 203\.0\.113\.10, / })).toHaveCount(1);
    await admin.context.close();
  });
});
