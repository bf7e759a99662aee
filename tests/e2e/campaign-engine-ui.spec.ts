import fs from "node:fs";
import type { Browser, Request } from "@playwright/test";
import { plannedDeliveryOutcome } from "@/lib/sandbox/delivery";
import { formatCount, formatWarsawDateTime, formatWarsawTime } from "@/lib/format/units";
import { AppProcess, EMBEDDED_SANDBOX_ENV } from "./support/app-process";
import { campaignSummary, expectLedgerMatchesRecord, phoneNumbers, recordedRecipients, startCampaign } from "./support/campaign";
import { expect, test } from "./support/fixtures";
import { addLibraryFile, ledgerFor, sandboxCredit, setSandboxCredit, setSandboxFaults } from "./support/gateway";
import { freePort, numbersWithOutcomes } from "./support/push";
import { authStatePath, signIn } from "./support/session";

/**
 * The campaign page over the durable send engine, as staff use it: pause and resume a running
 * campaign, a campaign that pauses itself when the credit runs out, a cancel while sending, and
 * delivery statuses that arrive with nothing but the server asking the gateway.
 */

/** Unique per worker start, so a retried worker never meets titles of an earlier attempt. */
const RUN = Date.now().toString(36).slice(-5);
const BATCH = 50;

test.describe("pause, resume and cancel on the campaign page", () => {
  test.use({ storageState: authStatePath("sender") });

  test.afterEach(async ({ request }) => {
    await setSandboxFaults(request, { rules: [] });
  });

  test("a sender pauses a running campaign: nothing more goes out until Resume, then everyone gets it exactly once", async ({ page, request, baseURL }) => {
    test.setTimeout(120_000);
    const title = `Pause and resume ${RUN}`;
    const recipients = phoneNumbers(20 * BATCH, "5061");
    const { id: fileId } = await addLibraryFile(request, "banner.png", `pause-${RUN}.png`);
    // One request at a time, each answered after 500 ms: 20 batches take about 10 s, time to press Pause.
    await setSandboxFaults(request, { latencyMs: 500, rules: [] });
    const campaignId = await startCampaign(page, baseURL!, { title, fileId, recipients, options: { batchSize: BATCH, concurrency: 1 } });

    await page.goto(`/history/${campaignId}`);
    const results = page.getByTestId("campaign-results");
    await expect(results.getByTestId("campaign-status")).toHaveText("Sending");
    await expect.poll(async () => (await ledgerFor(request, title)).length).toBeGreaterThan(0);

    // From the keyboard, as the button offers itself while sending.
    const pause = results.getByRole("button", { name: "Pause sending" });
    await pause.focus();
    await page.keyboard.press("Enter");
    await expect(results.getByTestId("campaign-status")).toHaveText("Paused");
    await expect(results.getByTestId("campaign-action-message")).toHaveText("Paused: no new batch is sent; batches already on their way finish.");
    const notice = results.getByTestId("campaign-pause-notice");
    await expect(notice).toHaveAttribute("aria-live", "polite");
    await expect(notice).toContainText("Paused by sender@example.com.");

    // The batch that was on its way finishes; after that nothing more reaches the gateway.
    await expect.poll(async () => (await campaignSummary(page, campaignId)).batches.sending).toBe(0);
    const atPause = (await ledgerFor(request, title)).length;
    expect(atPause % BATCH).toBe(0);
    expect(atPause).toBeLessThan(recipients.length);
    await page.waitForTimeout(2_000);
    expect((await ledgerFor(request, title)).length, "no batch sent while paused").toBe(atPause);

    const paused = await campaignSummary(page, campaignId);
    expect(paused).toMatchObject({ status: "paused", actions: { pause: false, resume: true, cancel: true, retry: false } });
    expect(paused.recipients.queued).toBe(atPause);
    await expect(notice).toContainText(`Paused since ${formatWarsawDateTime(paused.pause!.at!)} (Warsaw).`);
    await expect(notice).toContainText(`Still to send: ${formatCount(recipients.length - atPause)} recipients.`);
    // Buttons come from what the server allows now.
    await expect(pause).toHaveCount(0);
    await expect(results.getByRole("button", { name: "Cancel the campaign" })).toBeVisible();
    await expect(results.getByRole("button", { name: "Retry failed batches" })).toHaveCount(0);

    await results.getByRole("button", { name: "Resume sending" }).click();
    await expect(results.getByTestId("campaign-action-message")).toHaveText("Sending again, refused batches included.");
    await expect(results.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 60_000 });
    await expect(notice).toHaveText("");
    await expect(results.getByTestId("campaign-total-queued")).toHaveText(formatCount(recipients.length));

    expectLedgerMatchesRecord(await ledgerFor(request, title), await recordedRecipients(page, campaignId), recipients);
  });

  test("a campaign pauses itself when the MMS credit runs out, says why, and finishes once the credit is back and the sender resumes", async ({ page, request, baseURL }) => {
    test.setTimeout(120_000);
    const title = `Credit runs out ${RUN}`;
    const recipients = phoneNumbers(3 * BATCH, "5062");
    const { id: fileId } = await addLibraryFile(request, "banner.png", `credit-${RUN}.png`);
    const creditBefore = await sandboxCredit(request);
    // Enough for two batches, not the third: the gateway refuses it with 3004.
    await setSandboxCredit(request, 2 * BATCH + 20);
    try {
      await setSandboxFaults(request, { latencyMs: 300, rules: [] });
      const campaignId = await startCampaign(page, baseURL!, { title, fileId, recipients, options: { batchSize: BATCH, concurrency: 1 } });
      await page.goto(`/history/${campaignId}`);
      const results = page.getByTestId("campaign-results");

      // The page sees the pause arrive by itself (its one poll), with the reason in the live region.
      await expect(results.getByTestId("campaign-status")).toHaveText("Paused", { timeout: 20_000 });
      const notice = results.getByTestId("campaign-pause-notice");
      await expect(notice).toContainText("The MMS credit is used up (gateway code 3004). Sending paused; resume once it is fixed.");
      const paused = await campaignSummary(page, campaignId);
      expect(paused.pause).toMatchObject({ code: 3004 });
      await expect(notice).toContainText(`Paused since ${formatWarsawDateTime(paused.pause!.at!)} (Warsaw).`);
      await expect(results.getByRole("region", { name: /Problems/ })).toContainText("(code 3004)");
      expect((await ledgerFor(request, title)).length).toBe(2 * BATCH);

      // The history list offers "Paused" among its status filters and finds it there.
      await page.goto(`/history?search=${encodeURIComponent(title)}`);
      await page.getByLabel("Status").selectOption({ label: "Paused" });
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/status=paused/);
      const row = page.getByTestId("campaign-row").filter({ hasText: title });
      await expect(row).toContainText("Paused");
      await row.getByRole("link", { name: title }).click();
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

      // The account is topped up; the sender resumes and the refused batch goes out too.
      await setSandboxCredit(request, creditBefore);
      await results.getByRole("button", { name: "Resume sending" }).click();
      await expect(results.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 30_000 });
      await expect(notice).toHaveText("");
      await expect(results.getByRole("region", { name: /Problems/ })).toHaveCount(0);
      expectLedgerMatchesRecord(await ledgerFor(request, title), await recordedRecipients(page, campaignId), recipients);
    } finally {
      await setSandboxCredit(request, creditBefore);
    }
  });

  test("cancelling a campaign while it sends: nothing more is sent, the batch on its way finishes and is recorded", async ({ page, request, baseURL }) => {
    test.setTimeout(90_000);
    const title = `Cancel while sending ${RUN}`;
    const recipients = phoneNumbers(10 * BATCH, "5063");
    const { id: fileId } = await addLibraryFile(request, "banner.png", `cancel-${RUN}.png`);
    await setSandboxFaults(request, { latencyMs: 500, rules: [] });
    const campaignId = await startCampaign(page, baseURL!, { title, fileId, recipients, options: { batchSize: BATCH, concurrency: 1 } });

    await page.goto(`/history/${campaignId}`);
    const results = page.getByTestId("campaign-results");
    await expect(results.getByTestId("campaign-status")).toHaveText("Sending");
    await expect.poll(async () => (await ledgerFor(request, title)).length).toBeGreaterThan(0);

    await results.getByRole("button", { name: "Cancel the campaign" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel the campaign?" });
    await expect(dialog).toContainText("nothing more is sent");
    await expect(dialog).toContainText("Batches already on their way finish and are recorded");
    await dialog.getByRole("button", { name: "Yes, cancel the send" }).click();

    await expect(results.getByTestId("campaign-status")).toHaveText("Cancelled");
    const message = results.getByTestId("campaign-action-message");
    await expect(message).toHaveText(/^The campaign was cancelled: nothing more is sent\./);
    await expect(message).toBeFocused();
    await expect(results.getByRole("button", { name: "Cancel the campaign" })).toHaveCount(0);

    const sent = (await ledgerFor(request, title)).length;
    await page.waitForTimeout(2_000);
    const ledger = await ledgerFor(request, title);
    expect(ledger.length, "nothing sent after the cancel").toBe(sent);
    expect(sent).toBeLessThan(recipients.length);
    expect(new Set(ledger.map((entry) => entry.phone)).size).toBe(sent);
    const recorded = await recordedRecipients(page, campaignId);
    const queued = recorded.filter((row) => row.status === "queued");
    expect(queued.map((row) => `${row.phone}:${row.messageId}`).sort()).toEqual(ledger.map((entry) => `${entry.phone}:${entry.id}`).sort());
    expect(recorded.filter((row) => row.status === "cancelled")).toHaveLength(recipients.length - sent);
    await expect(results.getByTestId("campaign-total-cancelled")).toHaveText(formatCount(recipients.length - sent));
  });
});

test.describe("delivery statuses checked by the server (a server of this spec's own: first check after 10 s)", () => {
  let app: AppProcess;
  let dataDir: string;

  test.beforeAll(async () => {
    const port = await freePort();
    dataDir = AppProcess.freshDataDir(`.data-e2e-delivery-${port}`);
    app = new AppProcess(port, {
      DATA_DIR: dataDir,
      SANDBOX_ADMIN: "1",
      ...EMBEDDED_SANDBOX_ENV,
      // The sandbox's statuses are final 6 s after sending; the server's first check comes after that.
      DELIVERY_FIRST_CHECK_SECONDS: "10",
    });
    await app.start();
  });

  test.afterAll(async () => {
    await app?.kill();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function signedIn(browser: Browser) {
    const context = await browser.newContext({ baseURL: app.baseURL });
    const page = await context.newPage();
    await signIn(page, "sender");
    return { context, page };
  }

  test("the campaign page shows statuses turning delivered with no request of its own but reads", async ({ browser, playwright }) => {
    test.setTimeout(90_000);
    const { context, page } = await signedIn(browser);
    const sandbox = await playwright.request.newContext({ baseURL: app.baseURL });
    try {
      const title = `Server checks delivery ${RUN}`;
      const { id: fileId } = await addLibraryFile(sandbox, "banner.png", `delivery-${RUN}.png`);
      const recipients = numbersWithOutcomes(6, 2, "+48507");
      const campaignId = await startCampaign(page, app.baseURL, { title, fileId, recipients });
      await expect.poll(async () => (await campaignSummary(page, campaignId)).status).toBe("completed");

      // Everything the page asks for from here on: reads only (a server action would be a POST with a
      // next-action header), and never the gateway itself.
      const asked: Request[] = [];
      page.on("request", (request) => asked.push(request));
      await page.goto(`/history/${campaignId}`);
      const results = page.getByTestId("campaign-results");
      await expect(results.getByTestId("campaign-status")).toHaveText("Completed");

      const { nextDeliveryCheckAt, actions } = await campaignSummary(page, campaignId);
      expect(actions.refresh).toBe(true);
      expect(nextDeliveryCheckAt).not.toBeNull();
      const notice = page.getByTestId("delivery-auto-refresh");
      await expect(notice).toContainText(`Delivery statuses are checked by the server; next check at ${formatWarsawTime(nextDeliveryCheckAt!)} (Warsaw)`);
      await expect(notice).toHaveAttribute("aria-live", "polite");
      // The person's "now" stays available.
      await expect(results.getByRole("button", { name: "Refresh delivery statuses" })).toBeVisible();

      // Nobody clicks anything: the server's check lands and the page shows it.
      await expect(results).toContainText("6 delivered", { timeout: 40_000 });
      await expect(results).toContainText("2 undelivered");
      const table = results.getByRole("table");
      for (const phone of recipients) {
        await expect(table.getByRole("row").filter({ hasText: phone })).toContainText(plannedDeliveryOutcome(phone).status);
      }
      // All final: the notice and the refresh button go, and the page stops polling.
      await expect(notice).toHaveCount(0);
      await expect(results.getByRole("button", { name: "Refresh delivery statuses" })).toHaveCount(0);
      const reads = () => asked.filter((request) => request.url().includes("/api/campaigns/")).length;
      const settledAt = reads();
      await page.waitForTimeout(6_000);
      expect(reads(), "no polling once every status is final").toBe(settledAt);

      const writes = asked.filter((request) => request.method() !== "GET" || request.headers()["next-action"] !== undefined);
      expect(writes.map((request) => `${request.method()} ${request.url()}`), "the page only reads").toEqual([]);
      expect(asked.filter((request) => request.url().includes("/sandbox-api/")).map((request) => request.url())).toEqual([]);
      expect(asked.some((request) => request.url().includes(`/api/campaigns/${campaignId}`)), "the page read the campaign while open").toBe(true);
    } finally {
      await sandbox.dispose();
      await context.close();
    }
  });
});
