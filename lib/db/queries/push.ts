import { and, desc, eq, gte, inArray, isNotNull, ne, notInArray, sql } from "drizzle-orm";
import type { AppDatabase } from "../index";
import { campaignBatches, campaignRecipients, campaigns, inboundReplies } from "../app-schema";

/*
 * Reads and writes for delivery reports and replies the gateway pushes (lib/push). There is
 * deliberately no index on campaign_recipients.message_id (see app-schema.ts), so nothing here looks
 * a recipient up by message id: lib/push/targets.ts keeps that map in memory, built batch by batch.
 */

export type PushBatch = { campaignId: string; seq: number; status: string };

/**
 * Batches whose recipients may still get delivery reports: answered (any status but pending/sending)
 * in a non-test, non-cancelled campaign sent or scheduled since `since`. Reads campaigns and their
 * batches only (a few hundred rows per 100 000 recipients), never the recipients.
 */
export function batchesAwaitingReports(db: AppDatabase, since: number): PushBatch[] {
  return db
    .select({ campaignId: campaignBatches.campaignId, seq: campaignBatches.seq, status: campaignBatches.status })
    .from(campaigns)
    .innerJoin(campaignBatches, eq(campaignBatches.campaignId, campaigns.id))
    .where(
      and(
        eq(campaigns.test, false),
        ne(campaigns.status, "cancelled"),
        gte(sql`coalesce(${campaigns.scheduledFor}, ${campaigns.createdAt})`, since),
        notInArray(campaignBatches.status, ["pending", "sending"]),
      ),
    )
    .all();
}

/** One batch's recipients that have a message id at the gateway (through recipients_batch_idx). */
export function batchDeliveryTargets(db: AppDatabase, campaignId: string, seq: number): { position: number; messageId: string; deliveryStatus: string | null }[] {
  return db
    .select({ position: campaignRecipients.position, messageId: campaignRecipients.messageId, deliveryStatus: campaignRecipients.deliveryStatus })
    .from(campaignRecipients)
    .where(
      and(
        eq(campaignRecipients.campaignId, campaignId),
        eq(campaignRecipients.batchSeq, seq),
        eq(campaignRecipients.status, "queued"),
        isNotNull(campaignRecipients.messageId),
      ),
    )
    .all() as { position: number; messageId: string; deliveryStatus: string | null }[];
}

/** What a pushed report is compared with (primary-key lookup). */
export function recipientDelivery(db: AppDatabase, campaignId: string, position: number) {
  return db
    .select({
      status: campaignRecipients.status,
      messageId: campaignRecipients.messageId,
      deliveryStatus: campaignRecipients.deliveryStatus,
      deliveryReason: campaignRecipients.deliveryReason,
      deliveredAt: campaignRecipients.deliveredAt,
    })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.position, position)))
    .get();
}

export type NewReply = typeof inboundReplies.$inferInsert;
export type ReplyRow = typeof inboundReplies.$inferSelect;

/** Stores a reply once: the same dedupe key again changes nothing. True when it was new. */
export function insertReply(db: AppDatabase, reply: NewReply): boolean {
  return db.insert(inboundReplies).values(reply).onConflictDoNothing({ target: inboundReplies.dedupeKey }).run().changes === 1;
}

/** Newest first (by the time the gateway received them). */
export function listReplies(db: AppDatabase, page: { page: number; pageSize: number }): { rows: ReplyRow[]; total: number } {
  const total = db.select({ n: sql<number>`count(*)` }).from(inboundReplies).get()?.n ?? 0;
  const rows = db
    .select()
    .from(inboundReplies)
    .orderBy(desc(inboundReplies.receivedAt), desc(inboundReplies.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .all();
  return { rows, total };
}

/**
 * The campaigns some message ids belong to. Without an index on message_id this reads the recipients
 * of the non-test campaigns created since `since`; it runs only for a page of replies that name a
 * message (the list shows 50), never on the send path.
 */
export function campaignsOfMessages(db: AppDatabase, messageIds: string[], since: number): Map<string, { campaignId: string; title: string }> {
  if (messageIds.length === 0) return new Map();
  const rows = db
    .select({ messageId: campaignRecipients.messageId, campaignId: campaigns.id, title: campaigns.title })
    .from(campaigns)
    .innerJoin(campaignRecipients, eq(campaignRecipients.campaignId, campaigns.id))
    .where(and(eq(campaigns.test, false), gte(campaigns.createdAt, since), inArray(campaignRecipients.messageId, [...new Set(messageIds)])))
    .all();
  return new Map(rows.map((row) => [row.messageId!, { campaignId: row.campaignId, title: row.title }]));
}
