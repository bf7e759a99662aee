import fs from "node:fs";
import type { APIRequestContext, Page } from "@playwright/test";
import { plannedDeliveryOutcome } from "@/lib/sandbox/delivery";
import { AppProcess, EMBEDDED_SANDBOX_ENV } from "./support/app-process";
import { expect, test } from "./support/fixtures";
import { addLibraryFile, advanceSandboxClock, callSandbox, ledgerFor, setSandboxFaults } from "./support/gateway";
import { freePort, numbersWithOutcomes } from "./support/push";
import { authStatePath, signIn } from "./support/session";

/**
 * Issue 12 items 3 and 5 in the browser: a cancel the gateway refuses keeps the campaign scheduled
 * and says why; delivery statuses and replies arrive by push (the gateway calls us) with polling off.
 */

const tomorrowInWarsaw = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + 36 * 3_600_000));

async function startCampaign(page: Page, baseURL: string, body: { title: string; fileId: string; recipients: string[]; scheduled?: boolean }): Promise<string> {
  const response = await page.request.post("/api/campaigns", {
    headers: { origin: baseURL },
    data: {
      title: body.title,
      fileIds: [body.fileId],
      recipients: body.recipients,
      schedule: body.scheduled ? { mode: "scheduled", date: tomorrowInWarsaw(), time: "11:00" } : { mode: "now" },
      test: false,
      idempotencyKey: crypto.randomUUID(),
    },
  });
  const answer = (await response.json()) as { ok: boolean; campaignId: string };
  expect(answer.ok, JSON.stringify(answer)).toBe(true);
  return answer.campaignId;
}

test.describe("honest cancel", () => {
  test.use({ storageState: authStatePath("sender") });

  test("a cancel the sandbox refuses leaves the campaign Scheduled with the gateway's reason, on the campaign page and in the history list", async ({ page, request, baseURL, browser }) => {
    const title = `Refused cancel ${Date.now()}`;
    const { id: fileId } = await addLibraryFile(request, "banner.png", "refused-cancel.png");
    const campaignId = await startCampaign(page, baseURL!, { title, fileId, recipients: ["+48504000001", "+48504000002"], scheduled: true });
    await expect.poll(async () => (await ledgerFor(request, title)).map((e) => e.status)).toEqual(["saved", "saved"]);

    // What the real gateway answers for a message it will not delete (reference §3.4): success:false, no counts.
    await setSandboxFaults(request, { rules: [{ action: "messages/delete", kind: "answer", answer: { success: false } }] });
    try {
      await page.goto(`/history/${campaignId}`);
      const results = page.getByTestId("campaign-results");
      await expect(results.getByTestId("campaign-status")).toHaveText("Scheduled");
      await results.getByRole("button", { name: "Cancel scheduled send" }).click();
      await page.getByRole("dialog", { name: "Cancel the scheduled send?" }).getByRole("button", { name: "Yes, cancel the send" }).click();
      const message = results.getByTestId("campaign-action-message");
      await expect(message).toContainText("The campaign is still scheduled: nothing was cancelled, 2 message(s) are still scheduled.");
      await expect(message).toContainText("The gateway refused to cancel 2 messages (success: false");
      await expect(message).toHaveAttribute("aria-live", "polite");
      await expect(message).toBeFocused();
      await expect(results.getByTestId("campaign-status")).toHaveText("Scheduled");
      await expect(results.getByRole("button", { name: "Cancel scheduled send" })).toBeVisible();
      expect((await ledgerFor(request, title)).map((e) => e.status)).toEqual(["saved", "saved"]);

      // The same from the history list's Cancel button.
      await page.goto("/history");
      const item = page.getByTestId("scheduled-item").filter({ hasText: title });
      await item.getByRole("button", { name: `Cancel scheduled campaign ${title}` }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Cancel the send" }).click();
      await expect(item.getByTestId("cancel-message")).toContainText("The gateway refused to cancel 2 messages");
      await expect(page.getByTestId("scheduled-item").filter({ hasText: title })).toHaveCount(1);
    } finally {
      await setSandboxFaults(request, { rules: [] });
    }

    // The audit log keeps the refusal and its reason.
    const admin = await browser.newContext({ storageState: authStatePath("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto(`/admin/audit?action=cancel`);
    const row = adminPage.getByRole("row").filter({ hasText: campaignId });
    await expect(row.first()).toContainText("failed: 2");
    await expect(row.first()).toContainText("reason: The gateway refused to cancel 2 messages");
    await admin.close();

    // Once the gateway agrees, the same button cancels for real.
    await page.goto(`/history/${campaignId}`);
    const results = page.getByTestId("campaign-results");
    await results.getByRole("button", { name: "Cancel scheduled send" }).click();
    await page.getByRole("dialog", { name: "Cancel the scheduled send?" }).getByRole("button", { name: "Yes, cancel the send" }).click();
    await expect(results.getByTestId("campaign-status")).toHaveText("Cancelled");
    await expect(results.getByText("The scheduled send was cancelled.")).toBeVisible();
    expect(await ledgerFor(request, title)).toEqual([]);
  });

  test("the admin page says push is off while SERWERSMS_PUSH_SECRET is unset", async ({ browser }) => {
    const admin = await browser.newContext({ storageState: authStatePath("admin") });
    const page = await admin.newPage();
    await page.goto("/admin");
    const section = page.getByTestId("push-settings");
    await expect(section).toContainText("Push is off. Set SERWERSMS_PUSH_SECRET");
    await expect(section.getByRole("button", { name: "Send a test push" })).toHaveCount(0);
    await admin.close();
  });
});

test.describe("push delivery reports and replies (a server of this spec's own: push secret set, polling off)", () => {
  const SECRET = "e2e-push-secret-0123456789";
  let app: AppProcess;
  let dataDir: string;

  test.beforeAll(async () => {
    const port = await freePort();
    dataDir = AppProcess.freshDataDir(`.data-e2e-push-${port}`);
    app = new AppProcess(port, {
      DATA_DIR: dataDir,
      SANDBOX_ADMIN: "1",
      ...EMBEDDED_SANDBOX_ENV,
      SERWERSMS_PUSH_SECRET: SECRET,
      DELIVERY_POLLING: "0",
      // The embedded sandbox calls the app's own push URL, as the SerwerSMS panel would.
      SANDBOX_PUSH_URL: `http://127.0.0.1:${port}/api/push/${SECRET}`,
    });
    await app.start();
  });

  test.afterAll(async () => {
    await app?.kill();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // The baseURL fixture is per worker in Playwright; each test points its own contexts at this server.
  const at = (path: string) => `${app.baseURL}${path}`;
  const push = (api: APIRequestContext, secret: string, fields: Record<string, string>, how: "form" | "json" | "get" = "form") =>
    how === "get"
      ? api.get(at(`/api/push/${secret}?${new URLSearchParams(fields)}`))
      : how === "json"
        ? api.post(at(`/api/push/${secret}`), { data: fields })
        : api.post(at(`/api/push/${secret}`), { form: fields });

  async function signedIn(browser: import("@playwright/test").Browser, role: "sender" | "admin" | "viewer") {
    const context = await browser.newContext({ baseURL: app.baseURL });
    const page = await context.newPage();
    await signIn(page, role);
    return { context, page };
  }

  test("delivery statuses arrive by push with polling disabled", async ({ browser, playwright }) => {
    const { context, page } = await signedIn(browser, "sender");
    const sandbox = await playwright.request.newContext({ baseURL: app.baseURL });
    try {
      const title = `Pushed statuses ${Date.now()}`;
      const { id: fileId } = await addLibraryFile(sandbox, "banner.png", "pushed.png");
      const recipients = numbersWithOutcomes(5, 2);
      const campaignId = await startCampaign(page, app.baseURL, { title, fileId, recipients });
      await expect.poll(async () => (await ledgerFor(sandbox, title)).length).toBe(recipients.length);
      // Polling would fail now: whatever statuses appear can only have come by push.
      await setSandboxFaults(sandbox, { rules: [{ action: "messages/reports", kind: "http500" }] });

      await page.goto(`/history/${campaignId}`);
      await expect(page.getByTestId("delivery-auto-refresh")).toContainText("the gateway pushes them as they change");
      const results = page.getByTestId("campaign-results");
      await expect(results.getByTestId("campaign-status")).toHaveText("Completed");

      // The sandbox's delivery timeline runs to its end; it pushes every change before answering.
      await advanceSandboxClock(sandbox, 60_000);
      await expect(results).toContainText("5 delivered", { timeout: 20_000 });
      await expect(results).toContainText("2 undelivered");
      const table = results.getByRole("table");
      for (const phone of recipients) {
        await expect(table.getByRole("row").filter({ hasText: phone })).toContainText(plannedDeliveryOutcome(phone).status);
      }
      await expect(page.getByTestId("delivery-auto-refresh")).toHaveCount(0);
    } finally {
      await setSandboxFaults(sandbox, { rules: [] });
      await sandbox.dispose();
      await context.close();
    }
  });

  test("the push endpoint: wrong secret 404, report applied once, unknown id ignored, bad input refused, reply stored", async ({ browser, playwright }) => {
    const { context, page } = await signedIn(browser, "sender");
    const api = await playwright.request.newContext({ baseURL: app.baseURL });
    try {
      for (const wrong of ["e2e-push-secret-0123456788", "short", SECRET.toUpperCase()]) {
        expect((await push(api, wrong, { smsid: "a1b2c3d4e5", stan: "delivered" })).status()).toBe(404);
        expect((await push(api, wrong, { smsid: "a1b2c3d4e5", stan: "delivered" }, "get")).status()).toBe(404);
      }

      const title = `Push endpoint ${Date.now()}`;
      const { id: fileId } = await addLibraryFile(api, "banner.png", "push-endpoint.png");
      const [phone] = numbersWithOutcomes(1, 0, "+48505");
      const campaignId = await startCampaign(page, app.baseURL, { title, fileId, recipients: [phone!] });
      await expect.poll(async () => (await ledgerFor(api, title)).length).toBe(1);
      const messageId = (await ledgerFor(api, title))[0]!.id;
      const recipient = async () => {
        const answer = await page.request.get(at(`/api/campaigns/${campaignId}/recipients`));
        return ((await answer.json()) as { rows: { deliveryStatus: string | null; deliveredAt: string | null }[] }).rows[0]!;
      };

      const report = { smsid: messageId, stan: "delivered", data: "2026-12-01 10:15:00" };
      for (let i = 0; i < 2; i++) {
        const answer = await push(api, SECRET, report);
        expect(answer.status()).toBe(200);
        expect(await answer.text()).toBe("OK");
      }
      expect(await recipient()).toMatchObject({ deliveryStatus: "delivered", deliveredAt: "2026-12-01 10:15:00" });
      // A late, older status (v2 names, JSON) does not undo it.
      expect(await (await push(api, SECRET, { id: messageId, status: "sent" }, "json")).text()).toBe("OK");
      expect(await recipient()).toMatchObject({ deliveryStatus: "delivered", deliveredAt: "2026-12-01 10:15:00" });

      // An id we never sent: OK, and nothing anywhere changes.
      const unknown = await push(api, SECRET, { smsid: "ffffffffff", stan: "undelivered" }, "get");
      expect([unknown.status(), await unknown.text()]).toEqual([200, "OK"]);
      expect(await recipient()).toMatchObject({ deliveryStatus: "delivered" });

      // Bad input gets a clear plain-text reason, never a stack.
      const notJson = await api.post(at(`/api/push/${SECRET}`), { headers: { "content-type": "application/json" }, data: Buffer.from("{oops") });
      expect([notJson.status(), await notJson.text()]).toEqual([400, "The body is not valid JSON"]);
      const neither = await push(api, SECRET, { hello: "world" });
      expect(neither.status()).toBe(400);
      expect(await neither.text()).toMatch(/^Neither a delivery report nor a reply: missing smsid or id and stan or status/);
      const huge = await api.post(at(`/api/push/${SECRET}`), { form: { smsid: messageId, stan: "delivered", pad: "x".repeat(20_000) } });
      expect(huge.status()).toBe(413);
      const tooLong = await push(api, SECRET, { numer: "+48500600700", wiadomosc: "y".repeat(2001) });
      expect([tooLong.status(), await tooLong.text()]).toEqual([400, "wiadomosc is longer than 2000 characters"]);

      // A reply pushed by the sandbox (legacy names), and one naming the message it answers (v2 names, JSON).
      // The sandbox's own clock also moves the campaign's message on (in_progress → sent) while this
      // test runs, and the reply's round pushes whatever status change is due with it: at least the
      // reply, and every push answered OK. That the reply arrived is checked on the replies page below.
      const replyRound = (await callSandbox(api, "__admin/reply", { phone: "+48500600700", text: "STOP" })) as { pushed: number; failed: number; pending: number };
      expect(replyRound).toMatchObject({ failed: 0, pending: 0 });
      expect(replyRound.pushed).toBeGreaterThanOrEqual(1);
      const answering = { phone: phone!, text: "Tak, poproszę", recived: "2026-12-01 11:00:00", message_id: messageId, id: "e2e-1" };
      for (let i = 0; i < 2; i++) expect(await (await push(api, SECRET, answering, "json")).text()).toBe("OK");

      const viewer = await signedIn(browser, "viewer");
      await viewer.page.goto("/history");
      await viewer.page.getByRole("link", { name: "Replies from recipients" }).click();
      await expect(viewer.page.getByRole("heading", { level: 1, name: "Replies" })).toBeVisible();
      const rows = viewer.page.getByTestId("reply-row");
      await expect(rows).toHaveCount(2);
      // Newest first: the injected reply is dated now, the other 1 December 2026.
      await expect(rows.nth(0)).toContainText("+48500600700");
      await expect(rows.nth(0)).toContainText("STOP");
      await expect(rows.nth(0)).toContainText("not known");
      await expect(rows.nth(1)).toContainText(phone!);
      await expect(rows.nth(1)).toContainText("Tak, poproszę");
      await expect(rows.nth(1)).toContainText("1 Dec 2026");
      await rows.nth(1).getByRole("link", { name: title }).click();
      await expect(viewer.page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await viewer.context.close();
    } finally {
      await api.dispose();
      await context.close();
    }
  });

  test("the admin page shows the full push URL and a test push answers OK", async ({ browser }) => {
    const { context, page } = await signedIn(browser, "admin");
    try {
      await page.goto("/admin");
      const section = page.getByTestId("push-settings");
      await expect(section.getByLabel("Push URL")).toHaveValue(`${app.baseURL}/api/push/${SECRET}`);
      await expect(section).toContainText("Polling is off (DELIVERY_POLLING=0)");
      await section.getByRole("button", { name: "Send a test push" }).focus();
      await page.keyboard.press("Enter");
      await expect(section.getByTestId("push-test-result")).toHaveText(/^The push URL answered “OK” in \d+ ms\.$/);
    } finally {
      await context.close();
    }
  });
});
