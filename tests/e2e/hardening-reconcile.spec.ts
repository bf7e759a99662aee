import type { CampaignSummary } from "@/lib/campaign/types";
import { formatWarsawTime } from "@/lib/format/units";
import { expect, test } from "./support/fixtures";
import { addLibraryFile, advanceSandboxClock, callSandbox, ledgerFor, setSandboxFaults } from "./support/gateway";
import { authStatePath } from "./support/session";

/**
 * "Check with gateway" against a gateway whose reports trail its sends (issue 11 item 10): the send
 * times out after the gateway accepted it, the first check cannot find the numbers yet and says so
 * (nothing offered for retry), and once the reports catch up the same check finds them.
 */

test.use({ storageState: authStatePath("sender") });

/** Longer than sending, timing out (SERWERSMS_TIMEOUT_MS 5 s) and the first check take; the sandbox clock then passes it. */
const REPORT_LAG_MS = 50_000;

test.afterEach(async ({ request }) => {
  // A new plan without reportLagMs ends the lag as well as the fault.
  await setSandboxFaults(request, { rules: [] });
});

test("a lagging report leaves the check inconclusive, keeps it available, and the numbers are found after the lag", async ({ page, request, baseURL }) => {
  test.setTimeout(90_000);
  const { id: fileId } = await addLibraryFile(request, "banner.png", "reconcile-banner.png");
  const title = `Lagging reports ${Date.now()}`;
  const recipients = ["+48504000001", "+48504000002"];
  await callSandbox(request, "__admin/faults", {
    reportLagMs: REPORT_LAG_MS,
    rules: [{ action: "messages/send_mms", nth: [1], kind: "timeoutAfterAccept" }],
  });
  const started = await page.request.post("/api/campaigns", {
    headers: { origin: baseURL! },
    data: { title, fileIds: [fileId], recipients, schedule: { mode: "now" }, test: false, idempotencyKey: crypto.randomUUID() },
  });
  expect(started.ok(), await started.text()).toBe(true);
  const { campaignId } = (await started.json()) as { campaignId: string };
  const summary = async () => ((await (await page.request.get(`/api/campaigns/${campaignId}`)).json()) as { summary: CampaignSummary }).summary;
  await expect.poll(async () => (await summary()).batches.unknown, { timeout: 30_000 }).toBe(1);
  expect((await ledgerFor(request, title)).length).toBe(2);

  await page.goto(`/history/${campaignId}`);
  const results = page.getByTestId("campaign-results");
  const check = results.getByRole("button", { name: "Check with gateway" });
  await check.click();
  const notice = results.getByTestId("campaign-lookup-notice");
  await expect(notice).toContainText("The gateway has not reported 2 numbers yet; check again after");
  const { inconclusive, actions } = await summary();
  expect(inconclusive?.numbers).toBe(2);
  await expect(notice).toContainText(`check again after ${formatWarsawTime(inconclusive!.checkAfter)} (Warsaw)`);
  await expect(notice).toHaveAttribute("aria-live", "polite");
  // Still unknown: nothing to retry, and the check stays available.
  expect(actions).toMatchObject({ retry: false, reconcile: true });
  await expect(results.getByRole("button", { name: "Retry failed batches" })).toHaveCount(0);
  await expect(check).toBeEnabled();
  const table = results.getByRole("table");
  for (const phone of recipients) await expect(table.getByRole("row").filter({ hasText: phone })).toContainText("Not reported by the gateway when checked");
  expect((await ledgerFor(request, title)).length).toBe(2);

  // The reports catch up; the same check, from the keyboard, now finds both numbers.
  await advanceSandboxClock(request, REPORT_LAG_MS + 10_000);
  await check.focus();
  await page.keyboard.press("Enter");
  await expect(results.getByTestId("campaign-status")).toHaveText("Completed");
  await expect(notice).toHaveText("");
  await expect(check).toHaveCount(0);

  const ledger = await ledgerFor(request, title);
  expect(ledger).toHaveLength(2);
  const recorded = (await (await page.request.get(`/api/campaigns/${campaignId}/recipients`)).json()) as { rows: { phone: string; status: string; messageId: string }[] };
  expect(recorded.rows.every((row) => row.status === "queued")).toBe(true);
  expect(recorded.rows.map((row) => `${row.phone}:${row.messageId}`).sort()).toEqual(ledger.map((entry) => `${entry.phone}:${entry.id}`).sort());
});
