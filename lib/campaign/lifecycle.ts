/**
 * The campaign lifecycle, in one place: the statuses of campaigns, batches and recipients, which
 * status follows which, what a person may do in each, and the batch arithmetic. The database enums
 * (lib/db/app-schema.ts), the history filters, the labels (components/campaign/labels.ts), the view
 * (./view.ts) and the send engine's preconditions (./service.ts, ./engine.ts) all derive from here.
 * Plain data and pure functions: importable from client components.
 */

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/**
 * sending: the engine sends its batches (workers claim them); paused: no new batch is claimed
 * (by a person, or automatically on a refusal that would repeat, see AUTO_PAUSE_CODES); the rest are
 * settled: scheduled (accepted for a later time), completed, partial, failed, cancelled.
 */
export const CAMPAIGN_STATUSES = ["sending", "paused", "scheduled", "completed", "partial", "failed", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * pending: never reached the gateway; sending: claimed by a worker under a lease, request in flight;
 * done: answered; failed: refused (nothing sent) or confirmed absent at the gateway; unknown: may have
 * been sent, never resent before the gateway's reports say it was not; reconciled: an unknown batch
 * the reports settled; cancelled: stopped by a cancel before it was sent.
 */
export const BATCH_STATUSES = ["pending", "sending", "done", "failed", "unknown", "reconciled", "cancelled"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const RECIPIENT_STATUSES = ["pending", "queued", "unsent", "failed", "unknown", "cancelled"] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** What a batch carries that the lifecycle looks at. */
export type BatchState = { status: BatchStatus; errorKind: string | null };
export type BatchCounts = Record<BatchStatus, number> & { total: number };

export function countBatches(batches: readonly Pick<BatchState, "status">[]): BatchCounts {
  const counts = { total: batches.length } as BatchCounts;
  for (const status of BATCH_STATUSES) counts[status] = 0;
  for (const batch of batches) counts[batch.status]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Batch arithmetic
// ---------------------------------------------------------------------------------------------

/**
 * The gateway advises sending large campaigns in packages of about 50–200 numbers per request: fewer
 * requests than one per number, yet small enough that one failed request loses little.
 */
export const BATCH_SIZE_MIN = 50;
export const BATCH_SIZE_MAX = 200;
export const BATCH_SIZE_DEFAULT = 200;

export function assertBatchSize(size: number): void {
  if (!Number.isInteger(size) || size < BATCH_SIZE_MIN || size > BATCH_SIZE_MAX) {
    throw new RangeError(`Batch size must be a whole number from ${BATCH_SIZE_MIN} to ${BATCH_SIZE_MAX}; got ${size}.`);
  }
}

/** How many batches `recipients` numbers make (the last may be smaller; never an empty one). */
export function batchCountFor(recipients: number, size: number): number {
  assertBatchSize(size);
  return Math.ceil(recipients / size);
}

/** The batch of the recipient at `position` (0-based, in the order the list was given). */
export function batchSeqOf(position: number, size: number): number {
  return Math.floor(position / size);
}

/** Consecutive batches of `size`, in the original order, never an empty one. */
export function splitIntoBatches<T>(items: readonly T[], size: number): T[][] {
  assertBatchSize(size);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

// ---------------------------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------------------------

/** error_kind of a batch a look-up found absent at the gateway after the grace period: nothing was sent. */
export const LOOKUP_NOT_FOUND = "not_found";
/** error_kind of an unknown batch whose last look-up came before the grace period ended. */
export const LOOKUP_INCONCLUSIVE = "lookup_inconclusive";
/** error_kind of a batch whose worker's lease ran out before its answer was stored (the process died). */
export const LEASE_EXPIRED = "lease_expired";

/**
 * A batch a worker may claim and send: it never reached the gateway, or the gateway's reports showed,
 * after the grace period, that none of it arrived. Sending either cannot send anyone twice. The SQL
 * claim (lib/db/queries/engine.ts) states the same condition; engine.test.ts there holds the two together.
 */
export function isClaimable(batch: BatchState): boolean {
  return batch.status === "pending" || (batch.status === "failed" && batch.errorKind === LOOKUP_NOT_FOUND);
}

/** Refusals after which sending more batches only collects more refusals: the campaign pauses itself. */
export const AUTO_PAUSE_CODES: ReadonlyMap<number, string> = new Map([
  [3004, "The MMS credit is used up"],
  [1001, "The gateway refused the login (token or password)"],
  [1002, "The gateway account has no permission for this"],
  [1003, "The gateway does not allow requests from this server's IP address"],
]);
export const AUTO_PAUSE_AFTER_REFUSALS_DEFAULT = 5;

/** Why the campaign pauses itself after a refused batch, or null when it goes on. */
export function autoPauseReason(code: number | null, refusalsInRow: number, limit: number): string | null {
  const known = code === null ? undefined : AUTO_PAUSE_CODES.get(code);
  if (known) return `${known} (gateway code ${code}). Sending paused; resume once it is fixed.`;
  if (refusalsInRow >= limit) return `The gateway refused ${refusalsInRow} batches in a row. Sending paused; resume once the cause is fixed.`;
  return null;
}

/**
 * The status a campaign settles in once no batch is claimable or in flight. Null while there is
 * still work (the campaign keeps its status). A campaign a person stopped stays as they left it.
 */
export function settledStatus(
  campaign: { status: CampaignStatus; test: boolean; scheduledFor: number | null; cancelRequested: boolean },
  batches: readonly BatchState[],
  now: number,
): CampaignStatus | null {
  if (campaign.status === "cancelled") return null;
  const counts = countBatches(batches);
  if (counts.sending > 0) return null;
  if (campaign.cancelRequested) return null;
  if (campaign.status === "paused") return null;
  if (batches.some(isClaimable)) return null;
  const settled = counts.done + counts.reconciled;
  if (settled === counts.total) return !campaign.test && campaign.scheduledFor !== null && campaign.scheduledFor > now ? "scheduled" : "completed";
  if (counts.failed === counts.total) return "failed";
  return "partial";
}

/** A campaign whose status may still change because batches are sent for it. */
export function isActive(status: CampaignStatus): boolean {
  return status === "sending" || status === "paused";
}

/** "scheduled" turns into "completed" once its time has passed (the gateway has sent them). */
export function displayStatus(campaign: { status: CampaignStatus; scheduledFor: number | null }, now: number): CampaignStatus {
  return campaign.status === "scheduled" && campaign.scheduledFor !== null && campaign.scheduledFor <= now ? "completed" : campaign.status;
}

// ---------------------------------------------------------------------------------------------
// What a person may do
// ---------------------------------------------------------------------------------------------

export type CampaignOperation = "pause" | "resume" | "retry" | "reconcile" | "cancel" | "refresh";

export type LifecycleFacts = {
  status: CampaignStatus;
  test: boolean;
  scheduledFor: number | null;
  batches: BatchCounts;
  /** Recipients accepted by the gateway whose delivery status is not final yet. */
  deliveryPending: number;
  /** A cancel was asked for and waits for batches in flight (the campaign shows as paused meanwhile). */
  cancelRequested?: boolean;
};

const BEING_CANCELLED = "This campaign is being cancelled: nothing more is sent, and the batches on their way are being recorded.";

/** Why `operation` is not possible now, or null when it is. The service refuses and the view hides by this one rule. */
export function operationBlocker(operation: CampaignOperation, facts: LifecycleFacts, now: number): string | null {
  const { status, batches } = facts;
  const scheduledAhead = !facts.test && facts.scheduledFor !== null && facts.scheduledFor > now;
  if (facts.cancelRequested && (operation === "pause" || operation === "resume" || operation === "cancel" || operation === "retry")) return BEING_CANCELLED;
  switch (operation) {
    case "pause":
      return status === "sending" ? null : "Only a campaign that is sending can be paused.";
    case "resume":
      return status === "paused" ? null : "Only a paused campaign can be resumed.";
    case "retry":
      if (isActive(status)) return "The campaign is still sending; failed batches are sent again when it is resumed.";
      if (status === "cancelled") return "This campaign is cancelled.";
      return batches.failed > 0 ? null : "There is no failed batch to retry.";
    case "reconcile":
      if (batches.unknown === 0) return "No batch has an unclear outcome.";
      return null;
    case "cancel":
      if (status === "cancelled") return "This campaign is already cancelled.";
      if (isActive(status)) return null;
      if (status !== "scheduled" || facts.test || facts.scheduledFor === null) return "Only a campaign that is sending, paused or scheduled can be cancelled.";
      if (!scheduledAhead) return "The scheduled time has passed; the messages are already out.";
      return null;
    case "refresh":
      if (facts.test) return "Nothing is delivered in test mode.";
      // A cancelled campaign may have sent messages before the cancel: their deliveries are still asked about.
      // Nothing is out before a scheduled time, so there is no delivery to ask about yet.
      if (scheduledAhead) return "The messages go out at the scheduled time; there is no delivery to ask about yet.";
      return facts.deliveryPending > 0 ? null : "Every delivery status is final.";
  }
}

export function allowedOperations(facts: LifecycleFacts, now: number): Record<CampaignOperation, boolean> {
  const ops = ["pause", "resume", "retry", "reconcile", "cancel", "refresh"] as const;
  return Object.fromEntries(ops.map((op) => [op, operationBlocker(op, facts, now) === null])) as Record<CampaignOperation, boolean>;
}

// ---------------------------------------------------------------------------------------------
// Delivery refresh schedule (the server asks the gateway; pages only read the database)
// ---------------------------------------------------------------------------------------------

export const DELIVERY_FIRST_CHECK_MS = 30_000;
export const DELIVERY_MAX_INTERVAL_MS = 30 * 60_000;

/** The wait before the next delivery check: doubles after each check, from `first` (30 s) up to 30 min. */
export function nextDeliveryInterval(previous: number | null, first = DELIVERY_FIRST_CHECK_MS): number {
  return previous === null ? first : Math.min(DELIVERY_MAX_INTERVAL_MS, Math.max(first, previous * 2));
}
