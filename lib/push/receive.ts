import { createHash } from "node:crypto";
import { deliveryProgress, deliveryUpdate, isFinalDelivery } from "@/lib/campaign/delivery";
import type { AppDatabase } from "@/lib/db";
import { updateRecipients } from "@/lib/db/queries/campaigns";
import { insertReply, recipientDelivery } from "@/lib/db/queries/push";
import type { PushedReply, PushedReport } from "./params";
import { deliveryTargetsFor, type DeliveryTargets } from "./targets";

export type PushOutcome =
  /** The recipient's delivery status changed. */
  | "applied"
  /** Same report again, or an older one arriving late: nothing changed. */
  | "unchanged"
  /** A message id we never sent (or no longer wait for): ignored. */
  | "unknown_id"
  | "reply_stored"
  | "reply_duplicate";

/**
 * Applies one pushed report or reply. Idempotent: a repeated push changes nothing, a report for an
 * id we never sent is ignored, and a late, less advanced report never undoes a later one.
 */
export function receivePush(db: AppDatabase, push: PushedReport | PushedReply, now = Date.now(), targets: DeliveryTargets = deliveryTargetsFor(db)): PushOutcome {
  return push.kind === "reply" ? storeReply(db, push, now) : applyReport(db, push, now, targets);
}

function applyReport(db: AppDatabase, report: PushedReport, now: number, targets: DeliveryTargets): PushOutcome {
  const target = targets.find(report.messageId);
  if (!target) return "unknown_id";
  const row = recipientDelivery(db, target.campaignId, target.position);
  // Cancelled since, or a stale entry: only a recipient whose message is out takes reports.
  if (!row || row.status !== "queued" || row.messageId !== report.messageId) {
    targets.forget(report.messageId);
    return "unknown_id";
  }
  const same = row.deliveryStatus === report.status && row.deliveryReason === report.reason && row.deliveredAt === report.deliveredAt;
  if (same || deliveryProgress(report.status) < deliveryProgress(row.deliveryStatus)) return "unchanged";
  updateRecipients(db, target.campaignId, [deliveryUpdate(report, target.position, now)]);
  if (isFinalDelivery(report.status)) targets.forget(report.messageId);
  return "applied";
}

/**
 * The gateway's reply id when it gives one; otherwise phone + text + receive time, so the same
 * reply pushed twice (or pushed and later polled) is stored once. A reply pushed without a time is
 * dated on arrival, so only its exact repeats within the same millisecond are recognised.
 */
export function replyDedupeKey(reply: Pick<PushedReply, "replyId" | "phone" | "text" | "receivedAt">): string {
  if (reply.replyId) return `gateway:${reply.replyId}`;
  return `sha256:${createHash("sha256").update(`${reply.phone}\n${reply.receivedAt}\n${reply.text}`).digest("hex")}`;
}

function storeReply(db: AppDatabase, reply: PushedReply, now: number): PushOutcome {
  const stored = insertReply(db, {
    dedupeKey: replyDedupeKey(reply),
    source: "push",
    phone: reply.phone,
    text: reply.text,
    receivedAt: reply.receivedAt,
    storedAt: now,
    messageId: reply.messageId,
  });
  return stored ? "reply_stored" : "reply_duplicate";
}
