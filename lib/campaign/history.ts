import "server-only";
import { z } from "zod";
import { getAppDb } from "@/lib/db";
import { getCampaign, iterateRecipients, listCampaigns, listUpcomingScheduled, recipientPage } from "@/lib/db/queries/campaigns";
import { fromWarsawWallClock } from "@/lib/time/warsaw";
import { CAMPAIGN_STATUSES, RECIPIENT_STATUSES } from "./lifecycle";
import type { CampaignListItem, RecipientResult } from "./types";
import { toListItem, toRecipientResult } from "./view";

const warsawDay = (endOfDay: boolean) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-25")
    .transform((day, ctx) => {
      const [year, month, date] = day.split("-").map(Number) as [number, number, number];
      const instant = fromWarsawWallClock({ year, month, day: date, hour: endOfDay ? 23 : 0, minute: endOfDay ? 59 : 0, second: endOfDay ? 59 : 0 });
      if (!instant) {
        ctx.addIssue({ code: "custom", message: "That date does not exist" });
        return z.NEVER;
      }
      return instant.getTime() + (endOfDay ? 999 : 0);
    });

export const CampaignListQuerySchema = z.object({
  status: z.enum([...CAMPAIGN_STATUSES, "test"]).optional().catch(undefined),
  search: z.string().trim().max(100).optional(),
  from: warsawDay(false).optional(),
  to: warsawDay(true).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function listCampaignsPage(query: z.output<typeof CampaignListQuerySchema>): { items: CampaignListItem[]; total: number; page: number; pageSize: number } {
  const db = getAppDb();
  const { rows, total } = listCampaigns(db, query);
  return { items: rows.map((row) => toListItem(db, row)), total, page: query.page, pageSize: query.pageSize };
}

export const RecipientPageQuerySchema = z.object({
  status: z.enum([...RECIPIENT_STATUSES, "delivered", "undelivered"]).optional().catch(undefined),
  phone: z.string().trim().max(20).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export function recipientResultsPage(
  campaignId: string,
  query: z.output<typeof RecipientPageQuerySchema>,
): { rows: RecipientResult[]; total: number; page: number; pageSize: number } | null {
  const db = getAppDb();
  const campaign = getCampaign(db, campaignId);
  if (!campaign) return null;
  const { rows, total } = recipientPage(db, { campaignId, ...query });
  return { rows: rows.map((row) => toRecipientResult(row, campaign.test)), total, page: query.page, pageSize: query.pageSize };
}

const CSV_COLUMNS = ["phone", "status", "message_id", "error_code", "explanation", "next_step", "delivery_status", "delivery_reason", "delivered_at"] as const;

/**
 * RFC 4180 quoting, plus a leading apostrophe for cells starting with = + - @ so a spreadsheet never
 * runs an exported value as a formula (CSV injection).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Streams the full per-recipient table as CSV (UTF-8 with BOM so Excel reads Polish letters). */
export function campaignCsvResponse(campaignId: string): Response | null {
  const db = getAppDb();
  const campaign = getCampaign(db, campaignId);
  if (!campaign) return null;
  const encoder = new TextEncoder();
  const rows = iterateRecipients(db, campaignId);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${CSV_COLUMNS.join(",")}\r\n`));
    },
    pull(controller) {
      let chunk = "";
      for (let i = 0; i < 1000; i++) {
        const next = rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        const r = toRecipientResult(next.value, campaign.test);
        // E.164 numbers start with "+": keep them as text, not formulas, without altering them.
        chunk += [r.phone, r.status, r.messageId, r.errorCode, r.explanation, r.nextStep, r.deliveryStatus, r.deliveryReason, r.deliveredAt]
          .map((value, index) => (index === 0 ? String(value) : csvCell(value)))
          .join(",");
        chunk += "\r\n";
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
  const safeTitle = campaign.title.replace(/[^\p{L}\p{N} _-]+/gu, "").trim().slice(0, 40) || "campaign";
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="campaign-${campaignId.slice(0, 8)}.csv"; filename*=UTF-8''${encodeURIComponent(`${safeTitle}-${campaignId.slice(0, 8)}.csv`)}`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

export function upcomingScheduled(): CampaignListItem[] {
  const db = getAppDb();
  return listUpcomingScheduled(db).map((row) => toListItem(db, row));
}
