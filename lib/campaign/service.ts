import { createHash, randomUUID } from "node:crypto";
import type { AppDatabase } from "@/lib/db";
import * as q from "@/lib/db/queries/campaigns";
import type { GatewayClient } from "@/lib/serwersms/client";
import { describeRefusal } from "@/lib/serwersms/error-codes";
import { GatewayClientError, GatewayError, GatewayHttpError } from "@/lib/serwersms/errors";
import type { DeliveryReport, SendMmsResult, UnreadableItem } from "@/lib/serwersms/types";
import { formatScheduleForGateway } from "@/lib/schedule/format";
import { formatWarsawTime } from "@/lib/format/units";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";
import { matchSendAnswer, phoneKey } from "./answer-match";
import { BATCH_SIZE_DEFAULT, splitIntoBatches } from "./batching";
import { cancelBlocker, confirmFromReports, type DeleteVerdict, judgeDeleteAnswer, judgeDeleteError, uncheckedReason } from "./cancel";
import { runWithConcurrency } from "./concurrency";
import { deliveryUpdate } from "./delivery";
import { CONCURRENCY_DEFAULT, CONCURRENCY_MAX } from "./options";
import {
  batchRequestedAt,
  createReportPicker,
  DEFAULT_RECONCILE_GRACE_MS,
  graceEndsAt,
  holderCampaigns,
  LOOKUP_INCONCLUSIVE,
  LOOKUP_NOT_FOUND,
  lookupWindow,
  notReportedYet,
  reportsByPhone,
  type Window,
} from "./reconcile";

/** messages/reports takes at most 500 ids per call (docs §3.4). */
const REPORT_IDS_PER_CALL = 500;
/** Phones per reconciliation lookup; keeps the request small and the answer within one page. */
const RECONCILE_PHONES_PER_CALL = 100;
/**
 * A check stores its findings every this many looked-up recipients: one read of the claimed ids per
 * group (see claimedMessageIds), and a gateway failure late in a long check keeps what was found.
 */
const RECONCILE_GROUP_RECIPIENTS = 5_000;

export type Actor = { id: number | null; email: string };

export type StartCampaignInput = {
  title: string;
  fileIds: string[];
  text?: string;
  recipients: string[];
  scheduledFor: Date | null;
  test: boolean;
  idempotencyKey: string;
  batchSize?: number;
  concurrency?: number;
};

const STATE_ERROR_BRAND = Symbol.for("mms-dashboard.campaign-state-error");

/** A request that does not fit the campaign's state. Branded: the service may live in another bundle (see lib/serwersms/errors.ts). */
export class CampaignStateError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[STATE_ERROR_BRAND] === true;
  }
  readonly [STATE_ERROR_BRAND] = true;
  constructor(message: string) {
    super(message);
    this.name = "CampaignStateError";
  }
}

type Deps = {
  db: AppDatabase;
  gateway: GatewayClient;
  now?: () => number;
  /** How long a number the gateway does not report stays unknown (lib/campaign/reconcile.ts). */
  reconcileGraceMs?: number;
};

/** What one "Check with gateway" settled: numbers now recorded as sent, now failed (retryable), still unknown. */
export type ReconcileOutcome = { found: number; missing: number; inconclusive: number };

/** One unknown batch's look-up, before it is matched and stored. */
type BatchLookup = {
  batch: q.BatchRow;
  recipients: q.UnknownRecipient[];
  window: Window;
  /** Reports of the ids the batch's answer gave. */
  byId: Map<string, DeliveryReport>;
  /** Reports of the batch's numbers without an id, in its window. */
  byPhone: Map<string, DeliveryReport[]>;
};

/** `failed`: messages still scheduled at the gateway; `reason`: why, in the gateway's words where it gave any. */
export type CancelOutcome = { cancelled: number; failed: number; reason: string | null };

/** Why a reused idempotency key is refused, in words for the person (or API client) who sent it. */
const IDEMPOTENCY_CONFLICT: Record<q.IdempotencyConflict, string> = {
  other_request:
    "This idempotency key was already used for a different request (another title, file, text, recipient list, schedule or option). Nothing was sent. A new request needs a new key.",
  other_user: "This idempotency key was already used by another user. Nothing was sent. A new request needs a new key.",
};

/**
 * sha256 of what a start() would do, in a canonical form: the request as stored (title, files in their
 * order, text, recipients in their order, schedule, test mode) and the batching options after defaults,
 * so the same request spelled with or without the defaults is the same request.
 */
function requestHashOf(input: StartCampaignInput, batchSize: number, concurrency: number): string {
  const canonical = [
    "start-campaign/v1",
    input.title,
    input.fileIds,
    input.text || null,
    input.scheduledFor?.getTime() ?? null,
    input.test,
    batchSize,
    concurrency,
    input.recipients,
  ];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}


/**
 * Sends campaigns and keeps an exact record of them. The rules that make it safe:
 * - the whole plan (campaign, batches, recipients) is stored before the first gateway call;
 * - a batch is marked "sending" before its request and its outcome is stored right after;
 * - a batch whose outcome is unknown (timeout, dropped connection, crash) is never resent
 *   automatically: it is reconciled against messages/reports instead;
 * - the same idempotency key never creates a second campaign.
 */
export function createCampaignService({ db, gateway, now = Date.now, reconcileGraceMs = DEFAULT_RECONCILE_GRACE_MS }: Deps) {
  const running = new Map<string, Promise<void>>();
  /** Campaigns whose cancel is waiting for the gateway: a second click must not send a second delete. */
  const cancelling = new Set<string>();

  function launch(campaignId: string, seqs: number[]): Promise<void> {
    if (running.has(campaignId)) throw new CampaignStateError("This campaign is already sending.");
    q.updateCampaign(db, campaignId, { status: "sending", finishedAt: null });
    const run = sendBatches(campaignId, seqs)
      .catch((error: unknown) => {
        // Every batch records its own outcome; this only guards the bookkeeping around them.
        console.error(`[campaign ${campaignId}] run failed:`, error);
      })
      .finally(() => {
        running.delete(campaignId);
        finalize(campaignId);
      });
    running.set(campaignId, run);
    return run;
  }

  async function sendBatches(campaignId: string, seqs: number[]): Promise<void> {
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign) return;
    await runWithConcurrency(seqs, campaign.concurrency, (seq) => sendBatch(campaign, seq));
  }

  async function sendBatch(campaign: q.CampaignRow, seq: number): Promise<void> {
    const recipients = q.batchRecipients(db, campaign.id, seq, ["pending", "failed"]);
    const batch = q.getBatch(db, campaign.id, seq);
    if (!batch) return;
    if (recipients.length === 0) {
      q.updateBatch(db, campaign.id, seq, { status: "done", finishedAt: now() });
      return;
    }
    // Stored before the request: a crash from here on leaves this batch "sending", which start-up turns into "unknown".
    q.updateBatch(db, campaign.id, seq, {
      status: "sending",
      attempts: batch.attempts + 1,
      startedAt: now(),
      finishedAt: null,
      errorKind: null,
      errorCode: null,
      errorMessage: null,
    });

    let result: SendMmsResult;
    try {
      result = await gateway.messages.sendMms({
        phones: recipients.map((r) => r.phone),
        title: campaign.title,
        fileIds: campaign.fileIds,
        text: campaign.text ?? undefined,
        date: campaign.scheduleSent ?? undefined,
        test: campaign.test,
      });
    } catch (error) {
      recordFailure(campaign, seq, recipients, error);
      return;
    }
    try {
      recordAnswer(campaign, seq, recipients, result);
    } catch (error) {
      // The gateway accepted the batch but we could not store the answer: never resend it. Its ids
      // are kept where they can be, so "Check with gateway" looks those messages up by id.
      console.error(`[campaign ${campaign.id}] could not record batch ${seq}:`, error);
      recordFailure(campaign, seq, recipients, error, result);
    }
  }

  /**
   * Stores what the gateway answered for each recipient. Only an item that clearly speaks for a
   * recipient (answer-match.ts) decides it; a recipient without one, or whose item has a status the
   * docs do not list, is "unknown" (the gateway may have sent it) and "Check with gateway" settles it.
   */
  function recordAnswer(campaign: q.CampaignRow, seq: number, recipients: q.BatchRecipient[], result: SendMmsResult) {
    const items = matchSendAnswer(recipients, result);
    let queued = 0;
    let unsent = 0;
    const updates: q.RecipientUpdate[] = recipients.map((recipient, index) => {
      const item = items[index];
      if (!item) {
        return { position: recipient.position, status: "unknown", errorMessage: "The gateway's answer did not clearly mention this number." };
      }
      if (item.status === "queued") {
        queued++;
        return { position: recipient.position, status: "queued", messageId: item.messageId, errorCode: null, errorMessage: null };
      }
      if (item.status === "unsent") {
        unsent++;
        return { position: recipient.position, status: "unsent", messageId: item.messageId, errorCode: item.errorCode, errorMessage: item.errorMessage };
      }
      return {
        position: recipient.position,
        status: "unknown",
        messageId: item.messageId,
        errorCode: item.errorCode,
        errorMessage: `The gateway answered “${item.status.slice(0, 40)}” for this number, a status this app does not know: it may have been sent.`,
      };
    });
    const unclear = updates.filter((u) => u.status === "unknown").length;
    const anyUnknown = unclear > 0;
    q.recordBatchOutcome(
      db,
      campaign.id,
      seq,
      {
        status: anyUnknown ? "unknown" : "done",
        finishedAt: now(),
        queued,
        unsent,
        errorKind: anyUnknown ? "incomplete_answer" : null,
        errorMessage: anyUnknown ? `The gateway's answer did not clearly cover ${unclear} number(s) of this batch; use “Check with gateway”.` : null,
      },
      updates,
    );
  }

  /** `unstoredAnswer`: the gateway answered but the answer could not be stored, so the outcome is unknown. */
  function recordFailure(campaign: q.CampaignRow, seq: number, recipients: q.BatchRecipient[], error: unknown, unstoredAnswer?: SendMmsResult) {
    const clientError = error instanceof GatewayClientError ? error : null;
    // Nothing is ever delivered in test mode, so an unclear outcome there is simply a failure.
    const unknown = !campaign.test && (unstoredAnswer !== undefined || !clientError || clientError.outcomeUnknown);
    const answered = unstoredAnswer && unknown ? matchSendAnswer(recipients, unstoredAnswer) : null;
    const code = error instanceof GatewayError ? error.code : null;
    const message = describeBatchError(error, unknown);
    q.recordBatchOutcome(
      db,
      campaign.id,
      seq,
      {
        status: unknown ? "unknown" : "failed",
        finishedAt: now(),
        errorKind: clientError?.kind ?? "internal",
        errorCode: code ?? (error instanceof GatewayHttpError ? error.status : null),
        errorMessage: message,
        queued: 0,
        unsent: 0,
      },
      recipients.map((r, index) => {
        const item = answered?.[index];
        return {
          position: r.position,
          status: unknown ? "unknown" : "failed",
          errorCode: code,
          errorMessage: message,
          messageId: item?.status === "queued" ? item.messageId : undefined,
        };
      }),
    );
  }

  function finalize(campaignId: string): void {
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign || campaign.status === "cancelled") return;
    const batches = q.getBatches(db, campaignId);
    const count = (...statuses: q.BatchStatus[]) => batches.filter((b) => statuses.includes(b.status)).length;
    let status: q.CampaignStatus;
    if (count("sending") > 0) return;
    if (count("pending") > 0) status = "interrupted";
    else if (count("done", "reconciled") === batches.length) {
      status = !campaign.test && campaign.scheduledFor !== null && campaign.scheduledFor > now() ? "scheduled" : "completed";
    } else if (count("failed") === batches.length) status = "failed";
    else status = "partial";
    q.updateCampaign(db, campaignId, { status, finishedAt: now() });
  }

  function requireCampaign(campaignId: string): q.CampaignRow {
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign) throw new CampaignStateError("No such campaign.");
    return campaign;
  }

  /** Every page of a reports query, with the items that could not be read (already logged by the client). */
  async function fetchReportPages(query: Parameters<GatewayClient["messages"]["reports"]>[0]) {
    const reports: DeliveryReport[] = [];
    const unreadable: UnreadableItem[] = [];
    for (let page = 1; ; page++) {
      const result = await gateway.messages.reports({ ...query, page, limit: REPORT_IDS_PER_CALL });
      reports.push(...result.reports);
      unreadable.push(...result.unreadable);
      // A page whose items all failed to read is not the end of the list.
      if (page >= result.pageCount || result.reports.length + result.unreadable.length === 0) return { reports, unreadable };
    }
  }

  async function lookUpBatch(campaign: q.CampaignRow, batch: q.BatchRow, checkedAt: number): Promise<BatchLookup> {
    const recipients = q.unknownBatchRecipients(db, campaign.id, batch.seq);
    const window = lookupWindow(batch, campaign.createdAt, checkedAt);
    const ids = recipients.flatMap((r) => (r.messageId ? [r.messageId] : []));
    const byId = new Map<string, DeliveryReport>();
    for (let i = 0; i < ids.length; i += REPORT_IDS_PER_CALL) {
      for (const report of await fetchAllReports({ ids: ids.slice(i, i + REPORT_IDS_PER_CALL) })) byId.set(report.messageId, report);
    }
    const phones = recipients.flatMap((r) => (r.messageId ? [] : [r.phone]));
    const byPhone: DeliveryReport[] = [];
    const dateFrom = formatGatewayTimestamp(new Date(window.from));
    const dateTo = formatGatewayTimestamp(new Date(window.to));
    for (let i = 0; i < phones.length; i += RECONCILE_PHONES_PER_CALL) {
      byPhone.push(...(await fetchAllReports({ phones: phones.slice(i, i + RECONCILE_PHONES_PER_CALL), dateFrom, dateTo })));
    }
    return { batch, recipients, window, byId, byPhone: reportsByPhone(byPhone) };
  }

  /** Matches and stores a group of look-ups; ids some recipient already holds are never taken again. */
  function settleLookups(campaign: q.CampaignRow, lookups: BatchLookup[], checkedAt: number, outcome: ReconcileOutcome): void {
    if (lookups.length === 0) return;
    const candidates = lookups.flatMap((lookup) => [...lookup.byPhone.values()].flat().map((report) => report.messageId));
    const span = holderCampaigns({
      from: Math.min(...lookups.map((lookup) => lookup.window.from)),
      to: Math.max(...lookups.map((lookup) => lookup.window.to)),
    });
    const taken = q.claimedMessageIds(db, candidates, span);
    for (const lookup of lookups) settleBatch(campaign, lookup, taken, checkedAt, outcome);
  }

  function settleBatch(campaign: q.CampaignRow, lookup: BatchLookup, taken: Set<string>, checkedAt: number, outcome: ReconcileOutcome): void {
    const { batch, recipients } = lookup;
    const pick = createReportPicker({ title: campaign.title, fileIds: campaign.fileIds, requestedAt: batchRequestedAt(batch, campaign.createdAt) });
    const checkAfter = graceEndsAt(batch, campaign.createdAt, reconcileGraceMs);
    const settled = checkedAt >= checkAfter;
    const waitMessage = `Not reported by the gateway when checked at ${formatWarsawTime(checkedAt)}; check again after ${formatWarsawTime(checkAfter)} (Warsaw). It is never resent automatically.`;
    let found = 0;
    let refused = 0;
    const updates: q.RecipientUpdate[] = recipients.map((r) => {
      const report = r.messageId ? lookup.byId.get(r.messageId) : pick(lookup.byPhone.get(phoneKey(r.phone)), taken);
      if (report?.status === "unsent") {
        // The gateway refused this number when the batch arrived (e.g. 3103) and its reports say so
        // (reference §3.4): settled as unsent, nothing was sent, never retried as if it were lost.
        found++;
        refused++;
        return { position: r.position, status: "unsent", messageId: report.messageId, errorCode: null, errorMessage: "The gateway refused this number (reported as not sent).", deliveryStatus: report.status, deliveryCheckedAt: checkedAt };
      }
      if (report) {
        found++;
        return {
          position: r.position,
          status: "queued",
          messageId: report.messageId,
          errorCode: null,
          errorMessage: null,
          deliveryStatus: report.status,
          deliveryReason: report.reason,
          deliveredAt: report.deliveredAt,
          deliveryCheckedAt: checkedAt,
        };
      }
      if (settled && r.messageId) {
        // Its id comes from the gateway's own answer, which accepted it (only queued items keep an id):
        // a report still missing is lag, not a lost send. Recorded as accepted, never retryable (that
        // could send it twice); delivery refreshes keep asking for the id.
        found++;
        return { position: r.position, status: "queued", errorCode: null, errorMessage: null, deliveryCheckedAt: checkedAt };
      }
      if (settled) {
        return { position: r.position, status: "failed", errorMessage: "The gateway has no record of this message, so it was not sent. Retry to send it." };
      }
      return { position: r.position, status: "unknown", errorMessage: waitMessage, deliveryCheckedAt: checkedAt };
    });
    const notFound = updates.length - found;
    let state: Pick<q.BatchRow, "status" | "errorKind" | "errorMessage">;
    if (notFound === 0) state = { status: "reconciled", errorKind: null, errorMessage: null };
    else if (settled) {
      state = { status: "failed", errorKind: LOOKUP_NOT_FOUND, errorMessage: `${notFound} number(s) were not found at the gateway and can be retried.` };
    } else {
      state = {
        status: "unknown",
        errorKind: LOOKUP_INCONCLUSIVE,
        errorMessage: `${notReportedYet(notFound, checkAfter)}. Checked at ${formatWarsawTime(checkedAt)}; its reports can trail a send, and these numbers are never resent automatically.`,
      };
    }
    q.recordBatchOutcome(db, campaign.id, batch.seq, { ...state, queued: batch.queued + found - refused, unsent: batch.unsent + refused }, updates);
    outcome.found += found;
    if (settled) outcome.missing += notFound;
    else outcome.inconclusive += notFound;
  }

  async function fetchAllReports(query: Parameters<GatewayClient["messages"]["reports"]>[0]) {
    return (await fetchReportPages(query)).reports;
  }

  return {
    /**
     * Stores the plan and starts sending in the background. The same key again with the same request
     * from the same user → the first campaign, nothing new sent; with another request or from another
     * user → CampaignStateError, nothing stored or sent.
     */
    start(input: StartCampaignInput, actor: Actor): { campaignId: string; created: boolean } {
      const batchSize = input.batchSize ?? BATCH_SIZE_DEFAULT;
      splitIntoBatches([], batchSize); // validates the size before anything is stored
      const concurrency = Math.min(CONCURRENCY_MAX, Math.max(1, input.concurrency ?? CONCURRENCY_DEFAULT));
      const at = now();
      const stored = q.insertCampaignPlan(db, {
        id: randomUUID(),
        idempotencyKey: input.idempotencyKey,
        requestHash: requestHashOf(input, batchSize, concurrency),
        createdBy: actor.id,
        createdByEmail: actor.email,
        createdAt: at,
        updatedAt: at,
        title: input.title,
        text: input.text || null,
        fileIds: input.fileIds,
        test: input.test,
        scheduledFor: input.scheduledFor?.getTime() ?? null,
        scheduleSent: input.scheduledFor ? formatScheduleForGateway(input.scheduledFor) : null,
        status: "sending",
        batchSize,
        concurrency,
        phones: input.recipients,
      });
      if (stored.outcome === "conflict") throw new CampaignStateError(IDEMPOTENCY_CONFLICT[stored.reason]);
      const { id } = stored;
      const created = stored.outcome === "created";
      if (created) {
        const seqs = Array.from({ length: Math.ceil(input.recipients.length / batchSize) }, (_, i) => i);
        void launch(id, seqs);
      }
      return { campaignId: id, created };
    },

    /** Resolves when the campaign's current run (if any) has settled. */
    async waitUntilIdle(campaignId: string): Promise<void> {
      await running.get(campaignId);
    },

    isRunning(campaignId: string): boolean {
      return running.has(campaignId);
    },

    /** How long after a batch's request a number the gateway does not report stays unknown. */
    reconcileGraceMs,

    /** Explicit user retry of batches the gateway clearly refused (nothing was sent for them). */
    async retryFailed(campaignId: string, seqs?: number[]): Promise<void> {
      requireCampaign(campaignId);
      const failed = q.getBatches(db, campaignId).filter((b) => b.status === "failed" && (!seqs || seqs.includes(b.seq)));
      if (failed.length === 0) throw new CampaignStateError("There is no failed batch to retry.");
      return launch(campaignId, failed.map((b) => b.seq));
    },

    /** After a restart: send only the batches that never reached the gateway. */
    async resume(campaignId: string): Promise<void> {
      const campaign = requireCampaign(campaignId);
      if (campaign.status !== "interrupted") throw new CampaignStateError("Only an interrupted campaign can be resumed.");
      const pending = q.getBatches(db, campaignId).filter((b) => b.status === "pending");
      return launch(campaignId, pending.map((b) => b.seq));
    },

    /**
     * "Check with gateway": looks up the recipients of "unknown" batches in messages/reports and
     * records what the gateway actually did; never sends. A recipient whose id the batch's answer gave
     * is looked up by that id; any other by phone in the batch's time window (createReportPicker says
     * which report is its message). A number not found stays unknown until the grace period after its
     * batch's request has passed (reports can trail a send); a later check makes it failed (retryable),
     * or, when the gateway's answer had accepted it under an id, queued under that id.
     */
    async reconcile(campaignId: string): Promise<ReconcileOutcome> {
      const campaign = requireCampaign(campaignId);
      if (running.has(campaignId)) throw new CampaignStateError("Wait until the campaign has finished sending.");
      const checkedAt = now();
      const outcome: ReconcileOutcome = { found: 0, missing: 0, inconclusive: 0 };
      let group: BatchLookup[] = [];
      let groupRecipients = 0;
      for (const batch of q.getBatches(db, campaignId).filter((b) => b.status === "unknown")) {
        const lookup = await lookUpBatch(campaign, batch, checkedAt);
        group.push(lookup);
        groupRecipients += lookup.recipients.length;
        if (groupRecipients >= RECONCILE_GROUP_RECIPIENTS) {
          settleLookups(campaign, group, checkedAt, outcome);
          group = [];
          groupRecipients = 0;
        }
      }
      settleLookups(campaign, group, checkedAt, outcome);
      finalize(campaignId);
      return outcome;
    },

    /**
     * Cancels a scheduled campaign through messages/delete, 500 ids per call. Only what the gateway
     * confirms is marked cancelled (rules in ./cancel.ts); the campaign becomes "cancelled" only when
     * every message is. Otherwise it stays "scheduled" and `reason` says why (shown and audited).
     */
    async cancel(campaignId: string): Promise<CancelOutcome> {
      const campaign = requireCampaign(campaignId);
      const blocker = cancelBlocker(campaign, running.has(campaignId), now());
      if (blocker) throw new CampaignStateError(blocker);
      if (cancelling.has(campaignId)) throw new CampaignStateError("This campaign is already being cancelled.");
      cancelling.add(campaignId);
      try {
        const messages = q.queuedMessageIds(db, campaignId);
        let cancelled = 0;
        let failed = 0;
        const reasons = new Set<string>();
        for (let i = 0; i < messages.length; i += REPORT_IDS_PER_CALL) {
          const chunk = messages.slice(i, i + REPORT_IDS_PER_CALL);
          const ids = chunk.map((m) => m.messageId);
          let verdict: DeleteVerdict;
          try {
            verdict = judgeDeleteAnswer(await gateway.messages.remove(ids), ids.length);
          } catch (error) {
            verdict = judgeDeleteError(error, ids.length);
          }
          let confirmed: ReadonlySet<string>;
          if (verdict.kind === "cancelled") confirmed = new Set(ids);
          else if (verdict.kind === "refused") {
            confirmed = new Set();
            reasons.add(verdict.reason);
          } else {
            try {
              const check = confirmFromReports(ids, await fetchAllReports({ ids }));
              confirmed = new Set(check.cancelled);
              for (const reason of check.reasons) reasons.add(reason);
            } catch {
              confirmed = new Set();
              reasons.add(uncheckedReason(ids.length));
            }
          }
          q.updateRecipients(
            db,
            campaignId,
            chunk.filter((m) => confirmed.has(m.messageId)).map((m) => ({ position: m.position, status: "cancelled", deliveryStatus: null })),
          );
          cancelled += confirmed.size;
          failed += ids.length - confirmed.size;
        }
        if (failed === 0) q.updateCampaign(db, campaignId, { status: "cancelled", finishedAt: now() });
        return { cancelled, failed, reason: reasons.size > 0 ? [...reasons].join(" ") : null };
      } finally {
        cancelling.delete(campaignId);
      }
    },

    /**
     * Refreshes delivery statuses of messages not yet final, 500 ids per messages/reports call. A
     * status the app does not list is stored as the gateway gave it (and asked about again); a report
     * that could not be read changes nothing and is counted in `unreadable`.
     */
    async refreshDelivery(campaignId: string): Promise<{ checked: number; updated: number; unreadable: number }> {
      const campaign = requireCampaign(campaignId);
      if (campaign.test) return { checked: 0, updated: 0, unreadable: 0 };
      const pending = q.pendingDeliveryMessageIds(db, campaignId);
      let updated = 0;
      let unreadable = 0;
      for (let i = 0; i < pending.length; i += REPORT_IDS_PER_CALL) {
        const chunk = pending.slice(i, i + REPORT_IDS_PER_CALL);
        const answer = await fetchReportPages({ ids: chunk.map((m) => m.messageId) });
        unreadable += answer.unreadable.length;
        const reports = new Map(answer.reports.map((r) => [r.messageId, r]));
        const updates: q.RecipientUpdate[] = [];
        for (const message of chunk) {
          const report = reports.get(message.messageId);
          if (!report) continue;
          updates.push(deliveryUpdate(report, message.position, now()));
        }
        q.updateRecipients(db, campaignId, updates);
        updated += updates.length;
      }
      finalize(campaignId);
      return { checked: pending.length, updated, unreadable };
    },

    /** Campaigns left "sending" by a previous process become "interrupted" (start-up). */
    recoverAfterRestart(): string[] {
      return q.markInterrupted(db, now()).filter((id) => !running.has(id));
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;

function describeBatchError(error: unknown, unknown: boolean): string {
  if (error instanceof GatewayError) return describeRefusal("Gateway refused the batch", error);
  if (unknown) {
    return "No clear answer from the gateway (timeout or dropped connection): these messages may have been sent. Use “Check with gateway” — they are never resent automatically.";
  }
  if (error instanceof GatewayHttpError) return `The gateway answered HTTP ${error.status}; nothing was sent. You can retry this batch.`;
  if (error instanceof GatewayClientError) return `${error.message}. Nothing was sent; you can retry this batch.`;
  return "Unexpected error while sending this batch.";
}
