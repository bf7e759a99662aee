import type { Page } from "@playwright/test";
import type { CampaignSummary, RecipientResult } from "@/lib/campaign/types";
import type { LedgerEntry } from "./gateway";
import { expect } from "./fixtures";

/** Distinct numbers `+48<prefix><n>` in order; each spec uses a prefix of its own. */
export function phoneNumbers(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `+48${prefix}${String(i).padStart(9 - prefix.length, "0")}`);
}

export type StartOptions = {
  title: string;
  fileId: string;
  recipients: string[];
  /** Numbers per request and requests at once (the composer's advanced options). */
  options?: { batchSize: number; concurrency: number };
};

/**
 * Starts a real send through the composer's JSON API with the page's signed-in session (what the
 * Send button posts), and answers the campaign id. `at` prefixes the path for a server of a spec's own.
 */
export async function startCampaign(page: Page, origin: string, body: StartOptions, at = ""): Promise<string> {
  const response = await page.request.post(`${at}/api/campaigns`, {
    headers: { origin },
    data: {
      title: body.title,
      fileIds: [body.fileId],
      recipients: body.recipients,
      schedule: { mode: "now" },
      test: false,
      idempotencyKey: crypto.randomUUID(),
      ...(body.options ? { options: body.options } : {}),
    },
  });
  const answer = (await response.json()) as { ok: boolean; campaignId: string };
  expect(answer.ok, JSON.stringify(answer)).toBe(true);
  return answer.campaignId;
}

/** The campaign as the server records it (the same summary the campaign page polls). */
export async function campaignSummary(page: Page, campaignId: string, at = ""): Promise<CampaignSummary> {
  const response = await page.request.get(`${at}/api/campaigns/${campaignId}`);
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { summary: CampaignSummary }).summary;
}

/** Every recipient row the app recorded, all pages. */
export async function recordedRecipients(page: Page, campaignId: string, at = ""): Promise<RecipientResult[]> {
  const rows: RecipientResult[] = [];
  for (let p = 1; ; p++) {
    const response = await page.request.get(`${at}/api/campaigns/${campaignId}/recipients?pageSize=500&page=${p}`);
    expect(response.ok(), await response.text()).toBe(true);
    const answer = (await response.json()) as { rows: RecipientResult[]; total: number };
    rows.push(...answer.rows);
    if (rows.length >= answer.total || answer.rows.length === 0) return rows;
  }
}

/**
 * The sandbox's ledger and the app's record say the same: every recipient got the MMS exactly once,
 * nobody is missing, and each recorded message id is the one the gateway gave that number.
 */
export function expectLedgerMatchesRecord(ledger: LedgerEntry[], recorded: RecipientResult[], recipients: string[]): void {
  const ledgerPhones = ledger.map((entry) => entry.phone);
  expect(new Set(ledgerPhones).size, "nobody got the MMS twice").toBe(ledgerPhones.length);
  expect([...ledgerPhones].sort(), "everyone got it").toEqual([...recipients].sort());
  expect(recorded.every((row) => row.status === "queued"), "every recipient recorded as queued").toBe(true);
  expect(recorded.map((row) => `${row.phone}:${row.messageId}`).sort()).toEqual(ledger.map((entry) => `${entry.phone}:${entry.id}`).sort());
}
