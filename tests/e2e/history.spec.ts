import fs from "node:fs";
import Papa from "papaparse";
import { plannedDeliveryOutcome } from "@/lib/sandbox/delivery";
import { explainDeliveryReason } from "@/lib/serwersms/delivery";
import { expect, test } from "./support/fixtures";
import { addLibraryFile, advanceSandboxClock, ledgerFor } from "./support/gateway";
import { authStatePath } from "./support/session";

test.use({ storageState: authStatePath("sender") });

/** Numbers the sandbox will deliver and numbers it will report undelivered (its rule is deterministic). */
function pickNumbers(delivered: number, undelivered: number): string[] {
  const good: string[] = [];
  const bad: string[] = [];
  for (let i = 0; good.length < delivered || bad.length < undelivered; i++) {
    const phone = `+48501${String(i).padStart(6, "0")}`;
    const outcome = plannedDeliveryOutcome(phone).status;
    if (outcome === "delivered" && good.length < delivered) good.push(phone);
    if (outcome === "undelivered" && bad.length < undelivered) bad.push(phone);
  }
  return [...good, ...bad];
}

test("open a campaign from history, refresh delivery statuses, read reasons, download the CSV", async ({ page, request, baseURL }) => {
  const title = `History check ${Date.now()}`;
  const { id: fileId } = await addLibraryFile(request, "banner.png", "history-banner.png");
  const recipients = pickNumbers(6, 2);
  const started = await page.request.post("/api/campaigns", {
    headers: { origin: baseURL! },
    data: { title, fileIds: [fileId], recipients, schedule: { mode: "now" }, test: false, idempotencyKey: crypto.randomUUID() },
  });
  expect(started.ok(), await started.text()).toBe(true);
  await expect.poll(async () => (await ledgerFor(request, title)).length).toBe(recipients.length);

  await page.goto("/history");
  const row = page.getByTestId("campaign-row").filter({ hasText: title });
  await expect(row).toContainText("history-banner.png");
  await expect(row).toContainText("sender@example.com");
  await row.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // The server checks delivery by itself (first after 30 s); a person may still ask now.
  const results = page.getByTestId("campaign-results");
  await expect(page.getByTestId("delivery-auto-refresh")).toContainText("Delivery statuses are checked by the server; next check at");
  // Let the sandbox's delivery timeline run to its end, then ask the gateway.
  await advanceSandboxClock(request, 60_000);
  await results.getByRole("button", { name: "Refresh delivery statuses" }).click();
  await expect(results.getByRole("status").filter({ hasText: "Delivery statuses refreshed." })).toBeVisible();
  await expect(results).toContainText("6 delivered");
  await expect(results).toContainText("2 undelivered");

  const table = results.getByRole("table");
  for (const phone of recipients) {
    const planned = plannedDeliveryOutcome(phone);
    const line = table.getByRole("row").filter({ hasText: phone });
    await expect(line).toContainText(planned.status);
    if (planned.status === "undelivered") await expect(line).toContainText(explainDeliveryReason(planned.reason)!);
  }
  // Nothing is pending any more, so the page stops polling and the refresh button goes away.
  await expect(results.getByRole("button", { name: "Refresh delivery statuses" })).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent("download"), results.getByRole("link", { name: "Download CSV" }).click()]);
  const csv = fs.readFileSync(await download.path(), "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  expect(parsed.data.map((r) => r.phone)).toEqual(recipients);
  const ledger = await ledgerFor(request, title);
  for (const csvRow of parsed.data) {
    const planned = plannedDeliveryOutcome(csvRow.phone!);
    expect(csvRow.status).toBe("queued");
    expect(csvRow.message_id).toBe(ledger.find((entry) => entry.phone === csvRow.phone)?.id);
    expect(csvRow.delivery_status).toBe(planned.status);
    expect(csvRow.delivery_reason).toBe(planned.status === "undelivered" ? planned.reason : "");
  }
});

test("the history list filters by title and status, and lists scheduled sends with cancel", async ({ page, request, baseURL }) => {
  const stamp = Date.now();
  const { id: fileId } = await addLibraryFile(request, "banner.png", "filter-banner.png");
  const send = (title: string, extra: Record<string, unknown>) =>
    page.request.post("/api/campaigns", {
      headers: { origin: baseURL! },
      data: { title, fileIds: [fileId], recipients: ["+48502000001"], schedule: { mode: "now" }, test: false, idempotencyKey: crypto.randomUUID(), ...extra },
    });
  const tomorrow = new Date(Date.now() + 36 * 3_600_000);
  const date = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit" }).format(tomorrow);
  expect((await send(`Preview ${stamp}`, { test: true })).ok()).toBe(true);
  expect((await send(`Later ${stamp}`, { schedule: { mode: "scheduled", date, time: "11:00" } })).ok()).toBe(true);
  await expect.poll(async () => (await ledgerFor(request, `Later ${stamp}`)).length).toBe(1);

  await page.goto(`/history?search=${stamp}`);
  await expect(page.getByTestId("campaign-row")).toHaveCount(2);
  await page.getByLabel("Status").selectOption("test");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("campaign-row")).toHaveCount(1);
  await expect(page.getByTestId("campaign-row")).toContainText("Test finished");

  const scheduled = page.getByTestId("scheduled-item").filter({ hasText: `Later ${stamp}` });
  await expect(scheduled).toContainText("11:00 (Warsaw");
  await scheduled.getByRole("button", { name: `Cancel scheduled campaign Later ${stamp}` }).click();
  // The same confirmation as on the campaign page (one cancel flow).
  const dialog = page.getByRole("dialog", { name: "Cancel the scheduled send?" });
  await expect(dialog).toContainText(`“Later ${stamp}”: 1 recipient was to get this MMS on`);
  await dialog.getByRole("button", { name: "Yes, cancel the send" }).click();
  await expect(page.getByTestId("scheduled-item").filter({ hasText: `Later ${stamp}` })).toHaveCount(0);
  const outcome = page.getByTestId("scheduled-cancel-message");
  await expect(outcome).toHaveText(`“Later ${stamp}”: The scheduled send was cancelled. Nobody receives it.`);
  await expect(outcome).toBeFocused();
  expect(await ledgerFor(request, `Later ${stamp}`)).toEqual([]);
});
