import { createHash, randomUUID } from "node:crypto";
import type { AppDatabase } from "@/lib/db";
import * as q from "@/lib/db/queries/campaigns";
import type { GatewayClient } from "@/lib/serwersms/client";
import { explainGatewayCode } from "@/lib/serwersms/error-codes";
import { GatewayClientError, GatewayError, GatewayHttpError } from "@/lib/serwersms/errors";
import type { SendMmsResult } from "@/lib/serwersms/types";
import { formatScheduleForGateway } from "@/lib/schedule/format";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";
import { BATCH_SIZE_DEFAULT, splitIntoBatches } from "./batching";
import { runWithConcurrency } from "./concurrency";
import { CONCURRENCY_DEFAULT, CONCURRENCY_MAX } from "./options";

/** messages/reports takes at most 500 ids per call (docs §3.4). */
const REPORT_IDS_PER_CALL = 500;
/** Phones per reconciliation lookup; keeps the request small and the answer within one page. */
const RECONCILE_PHONES_PER_CALL = 100;

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

type Deps = { db: AppDatabase; gateway: GatewayClient; now?: () => number };

/**
 * Sends campaigns and keeps an exact record of them. The rules that make it safe:
 * - the whole plan (campaign, batches, recipients) is stored before the first gateway call;
 * - a batch is marked "sending" before its request and its outcome is stored right after;
 * - a batch whose outcome is unknown (timeout, dropped connection, crash) is never resent
 *   automatically: it is reconciled against messages/reports instead;
 * - the same idempotency key never creates a second campaign.
 */
export function createCampaignService({ db, gateway, now = Date.now }: Deps) {
  const running = new Map<string, Promise<void>>();

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
      // The gateway accepted the batch but we could not store the answer: never resend it.
      console.error(`[campaign ${campaign.id}] could not record batch ${seq}:`, error);
      recordFailure(campaign, seq, recipients, error, true);
    }
  }

  function recordAnswer(campaign: q.CampaignRow, seq: number, recipients: q.BatchRecipient[], result: SendMmsResult) {
    const byPhone = new Map(result.recipients.map((item) => [item.phone, item]));
    const sameLength = result.recipients.length === recipients.length;
    let queued = 0;
    let unsent = 0;
    const updates: q.RecipientUpdate[] = recipients.map((recipient, index) => {
      // The gateway echoes the number in its own format; fall back to position when it rewrote it.
      const item = byPhone.get(recipient.phone) ?? (sameLength ? result.recipients[index] : undefined);
      if (!item) {
        return { position: recipient.position, status: "unknown", errorMessage: "The gateway's answer did not mention this number." };
      }
      if (item.status === "queued") {
        queued++;
        return { position: recipient.position, status: "queued", messageId: item.messageId, errorCode: null, errorMessage: null };
      }
      unsent++;
      return { position: recipient.position, status: "unsent", messageId: item.messageId, errorCode: item.errorCode, errorMessage: item.errorMessage };
    });
    const anyUnknown = updates.some((u) => u.status === "unknown");
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
        errorMessage: anyUnknown ? "The gateway did not report every number of this batch." : null,
      },
      updates,
    );
  }

  function recordFailure(campaign: q.CampaignRow, seq: number, recipients: q.BatchRecipient[], error: unknown, forceUnknown = false) {
    const clientError = error instanceof GatewayClientError ? error : null;
    // Nothing is ever delivered in test mode, so an unclear outcome there is simply a failure.
    const unknown = !campaign.test && (forceUnknown || !clientError || clientError.outcomeUnknown);
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
      recipients.map((r) => ({ position: r.position, status: unknown ? "unknown" : "failed", errorCode: code, errorMessage: message })),
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

  async function fetchAllReports(query: Parameters<GatewayClient["messages"]["reports"]>[0]) {
    const reports = [];
    for (let page = 1; ; page++) {
      const result = await gateway.messages.reports({ ...query, page, limit: REPORT_IDS_PER_CALL });
      reports.push(...result.reports);
      if (page >= result.pageCount || result.reports.length === 0) return reports;
    }
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
     * Looks up recipients of "unknown" batches in messages/reports (phone + time window) and records
     * what the gateway actually did. Numbers it has no record of become "failed" (retryable), never resent here.
     */
    async reconcile(campaignId: string): Promise<{ found: number; missing: number }> {
      const campaign = requireCampaign(campaignId);
      if (running.has(campaignId)) throw new CampaignStateError("Wait until the campaign has finished sending.");
      let found = 0;
      let missing = 0;
      for (const batch of q.getBatches(db, campaignId).filter((b) => b.status === "unknown")) {
        const recipients = q.batchRecipients(db, campaignId, batch.seq, ["unknown"]);
        const from = (batch.startedAt ?? campaign.createdAt) - 2 * 60_000;
        const to = Math.max(batch.finishedAt ?? now(), now()) + 10 * 60_000;
        const matches = new Map<string, { messageId: string; status: string; reason: string | null; deliveredAt: string | null }>();
        for (let i = 0; i < recipients.length; i += RECONCILE_PHONES_PER_CALL) {
          const phones = recipients.slice(i, i + RECONCILE_PHONES_PER_CALL).map((r) => r.phone);
          const reports = await fetchAllReports({ phones, dateFrom: formatGatewayTimestamp(new Date(from)), dateTo: formatGatewayTimestamp(new Date(to)) });
          for (const report of reports) {
            if (report.title !== null && report.title !== campaign.title) continue;
            matches.set(report.phone, { messageId: report.messageId, status: report.status, reason: report.reason, deliveredAt: report.deliveredAt });
          }
        }
        const updates: q.RecipientUpdate[] = recipients.map((r) => {
          const match = matches.get(r.phone);
          if (match) {
            found++;
            return {
              position: r.position,
              status: "queued",
              messageId: match.messageId,
              errorCode: null,
              errorMessage: null,
              deliveryStatus: match.status,
              deliveryReason: match.reason,
              deliveredAt: match.deliveredAt,
              deliveryCheckedAt: now(),
            };
          }
          missing++;
          return { position: r.position, status: "failed", errorMessage: "The gateway has no record of this message, so it was not sent. Retry to send it." };
        });
        const missingHere = updates.filter((u) => u.status === "failed").length;
        q.recordBatchOutcome(
          db,
          campaignId,
          batch.seq,
          {
            status: missingHere === 0 ? "reconciled" : "failed",
            queued: batch.queued + updates.length - missingHere,
            errorKind: missingHere === 0 ? null : "not_found",
            errorMessage: missingHere === 0 ? null : `${missingHere} number(s) were not found at the gateway and can be retried.`,
          },
          updates,
        );
      }
      finalize(campaignId);
      return { found, missing };
    },

    /** Cancels a scheduled campaign through messages/delete. */
    async cancel(campaignId: string): Promise<{ cancelled: number; failed: number }> {
      const campaign = requireCampaign(campaignId);
      if (campaign.test || campaign.scheduledFor === null) throw new CampaignStateError("Only a scheduled campaign can be cancelled.");
      if (campaign.scheduledFor <= now()) throw new CampaignStateError("The scheduled time has passed; the messages are already out.");
      if (running.has(campaignId)) throw new CampaignStateError("Wait until the campaign has finished sending.");
      const messages = q.queuedMessageIds(db, campaignId);
      let cancelled = 0;
      let failed = 0;
      for (let i = 0; i < messages.length; i += REPORT_IDS_PER_CALL) {
        const chunk = messages.slice(i, i + REPORT_IDS_PER_CALL);
        const result = await gateway.messages.remove(chunk.map((m) => m.messageId));
        cancelled += result.deleted;
        failed += result.failed;
        if (result.failed === 0) {
          q.updateRecipients(db, campaignId, chunk.map((m) => ({ position: m.position, status: "cancelled", deliveryStatus: null })));
        }
      }
      if (failed === 0) q.updateCampaign(db, campaignId, { status: "cancelled", finishedAt: now() });
      return { cancelled, failed };
    },

    /** Refreshes delivery statuses of messages not yet final, 500 ids per messages/reports call. */
    async refreshDelivery(campaignId: string): Promise<{ checked: number; updated: number }> {
      const campaign = requireCampaign(campaignId);
      if (campaign.test) return { checked: 0, updated: 0 };
      const pending = q.pendingDeliveryMessageIds(db, campaignId);
      let updated = 0;
      for (let i = 0; i < pending.length; i += REPORT_IDS_PER_CALL) {
        const chunk = pending.slice(i, i + REPORT_IDS_PER_CALL);
        const reports = new Map((await fetchAllReports({ ids: chunk.map((m) => m.messageId) })).map((r) => [r.messageId, r]));
        const updates: q.RecipientUpdate[] = [];
        for (const message of chunk) {
          const report = reports.get(message.messageId);
          if (!report) continue;
          updates.push({
            position: message.position,
            deliveryStatus: report.status,
            deliveryReason: report.reason,
            deliveredAt: report.deliveredAt,
            deliveryCheckedAt: now(),
          });
        }
        q.updateRecipients(db, campaignId, updates);
        updated += updates.length;
      }
      finalize(campaignId);
      return { checked: pending.length, updated };
    },

    /** Campaigns left "sending" by a previous process become "interrupted" (start-up). */
    recoverAfterRestart(): string[] {
      return q.markInterrupted(db, now()).filter((id) => !running.has(id));
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;

function describeBatchError(error: unknown, unknown: boolean): string {
  if (error instanceof GatewayError) {
    const { title, nextStep } = explainGatewayCode(error.code, error.gatewayMessage);
    return `Gateway refused the batch (${error.code} ${title}). ${nextStep}`;
  }
  if (unknown) {
    return "No clear answer from the gateway (timeout or dropped connection): these messages may have been sent. Use “Check with gateway” — they are never resent automatically.";
  }
  if (error instanceof GatewayHttpError) return `The gateway answered HTTP ${error.status}; nothing was sent. You can retry this batch.`;
  if (error instanceof GatewayClientError) return `${error.message}. Nothing was sent; you can retry this batch.`;
  return "Unexpected error while sending this batch.";
}
