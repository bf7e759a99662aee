import type { AppDatabase } from "@/lib/db";
import * as q from "@/lib/db/queries/campaigns";
import { deliveryStatusLabel, explainDeliveryReason, FINAL_DELIVERY_STATUSES } from "@/lib/serwersms/delivery";
import { explainGatewayCode } from "@/lib/serwersms/error-codes";
import { DEFAULT_RECONCILE_GRACE_MS, graceEndsAt } from "./reconcile";
import { allowedOperations, countBatches, displayStatus, LOOKUP_INCONCLUSIVE } from "./lifecycle";
import type { CampaignListItem, CampaignSummary, RecipientResult } from "./types";

const STATUS_EXPLANATIONS: Record<q.RecipientStatus, { explanation: string | null; nextStep: string | null }> = {
  pending: { explanation: "Waiting to be sent.", nextStep: null },
  queued: { explanation: null, nextStep: null },
  unsent: { explanation: null, nextStep: null },
  failed: { explanation: "Not sent: the gateway refused or did not take this batch.", nextStep: "Retry the failed batch." },
  unknown: {
    explanation: "No clear answer from the gateway: the message may have been sent.",
    nextStep: "Use “Check with gateway”; it is never resent automatically.",
  },
  cancelled: { explanation: "Cancelled before the scheduled time.", nextStep: null },
};

export function toRecipientResult(row: q.RecipientRow, test: boolean): RecipientResult {
  const status = row.status as q.RecipientStatus;
  let explanation = STATUS_EXPLANATIONS[status].explanation;
  let nextStep = STATUS_EXPLANATIONS[status].nextStep;
  if (status === "queued") explanation = test ? "Test mode: the gateway accepted this number; nothing was sent." : "Accepted by the gateway.";
  if (status === "unsent" || (status === "failed" && row.errorCode)) {
    const known = explainGatewayCode(row.errorCode, row.errorMessage);
    explanation = `${known.title}: ${known.explanation}`;
    nextStep = known.nextStep;
  } else if ((status === "failed" || status === "unknown") && row.errorMessage) {
    explanation = row.errorMessage;
  }
  return {
    position: row.position,
    phone: row.phone,
    status,
    messageId: row.messageId,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    explanation,
    nextStep,
    deliveryStatus: row.deliveryStatus,
    deliveryStatusLabel: row.deliveryStatus === null ? null : deliveryStatusLabel(row.deliveryStatus),
    deliveryReason: row.deliveryReason,
    deliveryExplanation: explainDeliveryReason(row.deliveryReason),
    deliveredAt: row.deliveredAt,
  };
}

/** The facts every view of a campaign shows, straight from its row. */
function campaignFacts(campaign: q.CampaignRow, now: number) {
  return {
    id: campaign.id,
    title: campaign.title,
    fileIds: campaign.fileIds,
    status: campaign.status,
    displayStatus: displayStatus(campaign, now),
    test: campaign.test,
    createdAt: campaign.createdAt,
    createdByEmail: campaign.createdByEmail,
    scheduledFor: campaign.scheduledFor,
    recipientCount: campaign.recipientCount,
  } satisfies Partial<CampaignSummary>;
}

/** Numbers the last look-up left unknown, within the grace period (`graceMs`, the service's reconcileGraceMs). */
function inconclusiveLookup(db: AppDatabase, campaign: q.CampaignRow, batches: q.BatchRow[], graceMs: number): CampaignSummary["inconclusive"] {
  const waiting = batches.filter((b) => b.status === "unknown" && b.errorKind === LOOKUP_INCONCLUSIVE);
  if (waiting.length === 0) return null;
  const { numbers, checkedAt } = q.unknownRecipientsIn(db, campaign.id, waiting.map((b) => b.seq));
  if (numbers === 0) return null;
  return { numbers, checkedAt, checkAfter: Math.max(...waiting.map((b) => graceEndsAt(b, campaign.createdAt, graceMs))) };
}

export function summarizeCampaign(
  db: AppDatabase,
  campaign: q.CampaignRow,
  running: boolean,
  now = Date.now(),
  graceMs = DEFAULT_RECONCILE_GRACE_MS,
): CampaignSummary {
  const batches = q.getBatches(db, campaign.id);
  const counts = countBatches(batches);
  const recipients = q.countRecipientsByStatus(db, campaign.id);
  const delivery = campaign.test ? {} : q.countDeliveryStatuses(db, campaign.id);
  // An unlisted status is not final: those messages are asked about again (lib/serwersms/delivery.ts).
  const finalDelivery = FINAL_DELIVERY_STATUSES.reduce((sum, status) => sum + (delivery[status] ?? 0), 0);
  return {
    ...campaignFacts(campaign, now),
    text: campaign.text,
    finishedAt: campaign.finishedAt,
    scheduleSent: campaign.scheduleSent,
    batchSize: campaign.batchSize,
    concurrency: campaign.concurrency,
    batches: counts,
    recipients,
    delivery,
    problems: batches
      .filter((b) => b.status === "failed" || b.status === "unknown")
      .map((b) => ({ seq: b.seq, status: b.status as "failed" | "unknown", code: b.errorCode, message: b.errorMessage, attempts: b.attempts })),
    inconclusive: inconclusiveLookup(db, campaign, batches, graceMs),
    running,
    pause: campaign.status === "paused" ? { reason: campaign.pauseReason, code: campaign.pauseCode, at: campaign.pausedAt } : null,
    actions: allowedOperations(
      {
        status: campaign.status,
        test: campaign.test,
        scheduledFor: campaign.scheduledFor,
        batches: counts,
        deliveryPending: recipients.queued - finalDelivery,
        cancelRequested: campaign.cancelRequestedAt !== null,
      },
      now,
    ),
    // A check that is overdue (e.g. the first one after an upgrade) happens on the next pass: shown as now.
    nextDeliveryCheckAt: campaign.deliveryNextCheckAt === null ? null : Math.max(now, campaign.deliveryNextCheckAt),
  };
}

export function toListItem(db: AppDatabase, campaign: q.CampaignRow, now = Date.now()): CampaignListItem {
  const counts = q.countRecipientsByStatus(db, campaign.id);
  return {
    ...campaignFacts(campaign, now),
    queued: counts.queued,
    unsent: counts.unsent,
    unknown: counts.unknown,
    failed: counts.failed,
  };
}
