import { z } from "zod";
import type { AppDatabase } from "@/lib/db";
import { campaignsOfMessages, listReplies } from "@/lib/db/queries/push";

/** A reply names a message of a campaign sent at most this long before it (replies come days, not months, later). */
const REPLY_LOOKBACK_MS = 30 * 24 * 3_600_000;

export const ReplyListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

/** What the browser receives about one inbound reply. */
export type InboundReplyItem = {
  id: number;
  phone: string;
  text: string;
  receivedAt: number;
  source: "push" | "poll";
  /** The campaign it answers, when the gateway named the message it replies to. */
  campaign: { id: string; title: string } | null;
};

export function listInboundReplies(db: AppDatabase, query: z.output<typeof ReplyListQuerySchema>): { items: InboundReplyItem[]; total: number; page: number; pageSize: number } {
  const { rows, total } = listReplies(db, query);
  const named = rows.flatMap((row) => (row.messageId ? [row.messageId] : []));
  const oldest = Math.min(...rows.map((row) => row.receivedAt));
  const campaigns = campaignsOfMessages(db, named, oldest - REPLY_LOOKBACK_MS);
  const items = rows.map((row) => {
    const campaign = row.messageId ? campaigns.get(row.messageId) : undefined;
    return {
      id: row.id,
      phone: row.phone,
      text: row.text,
      receivedAt: row.receivedAt,
      source: row.source,
      campaign: campaign ? { id: campaign.campaignId, title: campaign.title } : null,
    };
  });
  return { items, total, page: query.page, pageSize: query.pageSize };
}
