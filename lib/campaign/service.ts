import { createHash, randomUUID } from "node:crypto";
import os from "node:os";
import type { AppDatabase } from "@/lib/db";
import * as q from "@/lib/db/queries/campaigns";
import * as e from "@/lib/db/queries/engine";
import type { GatewayClient } from "@/lib/serwersms/client";
import { describeRefusal } from "@/lib/serwersms/error-codes";
import { GatewayClientError, GatewayError, GatewayHttpError } from "@/lib/serwersms/errors";
import type { DeliveryReport, SendMmsResult, UnreadableItem } from "@/lib/serwersms/types";
import { formatScheduleForGateway } from "@/lib/schedule/format";
import { formatWarsawTime } from "@/lib/format/units";
import { FINAL_DELIVERY_STATUSES } from "@/lib/serwersms/delivery";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";
import { matchSendAnswer, phoneKey } from "./answer-match";
import { confirmFromReports, type DeleteVerdict, judgeDeleteAnswer, judgeDeleteError, uncheckedReason } from "./cancel";
import { deliveryUpdate } from "./delivery";
import { createWorkerLoop, ENGINE_DEFAULTS, type EngineSettings } from "./engine";
import {
  autoPauseReason,
  BATCH_SIZE_DEFAULT,
  batchCountFor,
  type CampaignOperation,
  type CampaignStatus,
  countBatches,
  isActive,
  LOOKUP_INCONCLUSIVE,
  LOOKUP_NOT_FOUND,
  nextDeliveryInterval,
  operationBlocker,
  settledStatus,
} from "./lifecycle";
import { CONCURRENCY_DEFAULT, CONCURRENCY_MAX } from "./options";
import {
  batchRequestedAt,
  createReportPicker,
  DEFAULT_RECONCILE_GRACE_MS,
  graceEndsAt,
  holderCampaigns,
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
  /** The send engine of this process (./engine.ts); defaults to ENGINE_DEFAULTS. */
  engine?: Partial<EngineSettings>;
  workerId?: string;
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


/** How long a cancel waits for batches in flight to be recorded before it answers (a request is at most 30 s). */
const CANCEL_WAIT_MS = 35_000;

/** A worker id that says where it runs (host, pid) and is unique per start. */
function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Sends campaigns and keeps an exact record of them, as durable work over database state: a
 * request only stores the plan; workers of any process sharing the database send it. The rules that
 * make it safe:
 * - the whole plan (campaign, batches, recipients) is stored before the first gateway call;
 * - a worker claims a batch ("sending", under its lease) before its request, renews the lease while
 *   the request is in flight, and stores the outcome right after, only while it still holds the claim;
 * - a batch whose outcome is unknown (timeout, dropped connection, a sender that died and whose lease
 *   ran out) is never resent blindly: it is looked up in messages/reports once the grace period is
 *   over, and only what the gateway shows it never received is sent;
 * - one cap on send requests in flight (and an optional pace) holds over every process;
 * - the same idempotency key never creates a second campaign.
 */
export function createCampaignService({ db, gateway, now = Date.now, reconcileGraceMs = DEFAULT_RECONCILE_GRACE_MS, engine: engineOptions, workerId = newWorkerId() }: Deps) {
  const settings: EngineSettings = { ...ENGINE_DEFAULTS, ...engineOptions };
  /** This process's batches in flight, by "campaignId:seq". */
  const inFlight = new Map<string, { key: e.BatchKey; run: Promise<void> }>();
  /** Checks (look-up, delivery refresh, cancel) this process runs, by campaign: one at a time each. */
  const checking = new Map<string, Promise<unknown>>();
  let heartbeat: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;

  const loop = createWorkerLoop(runPass, settings, async () => {
    await Promise.allSettled([...inFlight.values()].map((f) => f.run));
    await Promise.allSettled([...checking.values()]);
  });

  const inFlightFor = (campaignId: string) => [...inFlight.values()].some((f) => f.key.campaignId === campaignId);

  /** When this worker last told the database it is alive (engine_workers). */
  let seenAt = 0;

  /**
   * One pass of this process's worker: claims stored before requests, leases, settling, checks.
   * Everything it decides is read from the database, so it makes no difference which process stored
   * the plan or which one died.
   */
  async function runPass(): Promise<void> {
    const at = now();
    if (at - seenAt >= settings.leaseMs / 3) {
      e.seeWorker(db, workerId, at);
      seenAt = at;
    }
    for (const campaignId of e.expireLeases(db, at)) {
      console.warn(`[campaign ${campaignId}] a batch's sender stopped before its answer was stored: looked up at the gateway, never resent blindly`);
    }
    while (inFlight.size < settings.maxInFlight) {
      const claim = e.claimBatch(db, { owner: workerId, now: now(), leaseMs: settings.leaseMs, maxInFlight: settings.maxInFlight, minIntervalMs: settings.minIntervalMs });
      if (!claim.claimed) {
        if (claim.retryAt !== null) wakeAt(claim.retryAt);
        break;
      }
      launchBatch(claim.claimed);
    }
    for (const campaignId of e.campaignIdsWithStatus(db, "sending")) settle(campaignId);
    for (const campaignId of e.campaignIdsWithStatus(db, "paused")) {
      const campaign = q.getCampaign(db, campaignId);
      // A cancel whose request stopped waiting for its batches in flight (see cancel()) is finished here.
      const abandoned = campaign?.cancelRequestedAt != null && now() - campaign.cancelRequestedAt > CANCEL_WAIT_MS;
      if (abandoned && e.batchesInFlight(db, now(), campaignId) === 0) startCheck(campaignId, () => finishCancel(campaignId));
    }
    for (const campaignId of e.campaignIdsWithUnknownBatches(db)) {
      if (autoCheckDue(campaignId, now())) startCheck(campaignId, () => autoReconcile(campaignId));
    }
    if (settings.deliveryPolling) {
      for (const campaignId of e.dueDeliveryChecks(db, now())) startCheck(campaignId, () => scheduledDeliveryCheck(campaignId));
    }
  }

  function wakeAt(at: number) {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      loop.wake();
    }, Math.max(0, at - now()));
    retryTimer.unref();
  }

  function launchBatch(key: e.BatchKey): void {
    const id = `${key.campaignId}:${key.seq}`;
    const run = sendClaimedBatch(key)
      .catch((error: unknown) => {
        // Every batch records its own outcome; this only guards the bookkeeping around it. The claim
        // stays until its lease runs out, and the batch then becomes unknown (never resent blindly).
        console.error(`[campaign ${key.campaignId}] batch ${key.seq} failed outside its request:`, error);
      })
      .finally(() => {
        inFlight.delete(id);
        if (inFlight.size === 0 && heartbeat) {
          clearInterval(heartbeat);
          heartbeat = null;
        }
        loop.wake();
      });
    inFlight.set(id, { key, run });
    heartbeat ??= setInterval(() => {
      try {
        e.renewLeases(db, workerId, [...inFlight.values()].map((f) => f.key), now() + settings.leaseMs);
      } catch (error) {
        console.error("[send engine] could not renew leases:", error instanceof Error ? error.message : error);
      }
    }, Math.max(50, Math.floor(settings.leaseMs / 3)));
    heartbeat.unref();
  }

  /** Runs `check` unless this process already runs one for the campaign; the lease keeps other processes out. */
  function startCheck(campaignId: string, check: () => Promise<unknown>): void {
    if (checking.has(campaignId)) return;
    const run = withCheckLease(campaignId, check)
      .catch((error: unknown) => {
        if (!(error instanceof CampaignStateError)) console.error(`[campaign ${campaignId}] check failed:`, error instanceof Error ? error.message : error);
      })
      .finally(() => {
        checking.delete(campaignId);
        loop.wake();
      });
    checking.set(campaignId, run);
  }

  /** Holds the campaign's check lease (renewed) while `work` runs; refuses when another check holds it. */
  async function withCheckLease<T>(campaignId: string, work: () => Promise<T>): Promise<T> {
    // Unique per check: two checks of one process exclude each other too.
    const owner = `${workerId}:check:${randomUUID().slice(0, 8)}`;
    if (!e.takeCheck(db, campaignId, owner, now(), now() + settings.leaseMs)) {
      throw new CampaignStateError("A check with the gateway is already running for this campaign; try again in a moment.");
    }
    const renew = setInterval(() => e.takeCheck(db, campaignId, owner, now(), now() + settings.leaseMs), Math.max(50, Math.floor(settings.leaseMs / 3)));
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      e.releaseCheck(db, campaignId, owner);
    }
  }

  async function sendClaimedBatch({ campaignId, seq }: e.BatchKey): Promise<void> {
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign) return;
    const recipients = q.batchRecipients(db, campaign.id, seq, ["pending", "failed"]);
    if (recipients.length === 0) {
      q.recordBatchOutcome(db, campaign.id, seq, { status: "done", finishedAt: now() }, [], workerId);
      return;
    }
    // The claim (claimBatch) stored "sending" under this worker's lease before this request.
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
    const landed = q.recordBatchOutcome(
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
      workerId,
    );
    if (!landed) console.error(`[campaign ${campaign.id}] batch ${seq}: its claim was taken over before the answer arrived; the answer was not stored`);
    else e.resetRefusals(db, campaign.id);
  }

  /** `unstoredAnswer`: the gateway answered but the answer could not be stored, so the outcome is unknown. */
  function recordFailure(campaign: q.CampaignRow, seq: number, recipients: q.BatchRecipient[], error: unknown, unstoredAnswer?: SendMmsResult) {
    const clientError = error instanceof GatewayClientError ? error : null;
    // Nothing is ever delivered in test mode, so an unclear outcome there is simply a failure.
    const unknown = !campaign.test && (unstoredAnswer !== undefined || !clientError || clientError.outcomeUnknown);
    const answered = unstoredAnswer && unknown ? matchSendAnswer(recipients, unstoredAnswer) : null;
    const code = error instanceof GatewayError ? error.code : null;
    const message = describeBatchError(error, unknown);
    const landed = q.recordBatchOutcome(
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
      workerId,
    );
    if (!landed) {
      console.error(`[campaign ${campaign.id}] batch ${seq}: its claim was taken over before the outcome arrived; the outcome was not stored`);
      return;
    }
    if (unknown) return;
    // A refusal that would only repeat (credit, login, permission, IP) or N in a row pause the campaign.
    const refusals = e.countRefusal(db, campaign.id);
    const reason = autoPauseReason(code, refusals, settings.autoPauseAfterRefusals);
    if (reason && e.transitionCampaign(db, campaign.id, ["sending"], { status: "paused", pauseReason: reason, pauseCode: code, pausedAt: now() }, now())) {
      console.warn(`[campaign ${campaign.id}] paused automatically: ${reason}`);
    }
  }

  /**
   * Gives a campaign the status its batches call for once none is claimable or in flight
   * (lifecycle.ts settledStatus), and plans the first delivery check. Only from the status it was
   * read in, so a pause or cancel decided meanwhile wins.
   */
  function settle(campaignId: string): void {
    if (inFlightFor(campaignId) || e.hasOpenBatches(db, campaignId)) return;
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign) return;
    const status = settledStatus({ ...campaign, cancelRequested: campaign.cancelRequestedAt !== null }, q.getBatches(db, campaignId), now());
    if (!status || status === campaign.status) return;
    const firstCheck =
      settings.deliveryPolling && !campaign.test && status !== "failed" ? Math.max(now(), campaign.scheduledFor ?? 0) + settings.deliveryFirstCheckMs : null;
    e.transitionCampaign(
      db,
      campaignId,
      [campaign.status],
      { status, finishedAt: now(), ...(campaign.deliveryNextCheckAt === null && firstCheck !== null ? { deliveryNextCheckAt: firstCheck, deliveryIntervalMs: null } : {}) },
      now(),
    );
  }

  /** Whether the engine should look up this campaign's unknown batches now: their grace has ended, and no look-up ran just before. */
  function autoCheckDue(campaignId: string, at: number): boolean {
    if (checking.has(campaignId)) return false;
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign || campaign.status === "cancelled") return false;
    const unknown = q.getBatches(db, campaignId).filter((b) => b.status === "unknown");
    // A batch is ready once its grace period is over; it is new to the look-up when it became ready
    // (or became unknown: a lease can run out long after the grace of its request) after the last
    // one. Batches a look-up already saw are asked about again only after autoCheckRetryMs.
    const readySince = unknown
      .map((b) => ({ graceEnd: graceEndsAt(b, campaign.createdAt, reconcileGraceMs), unknownSince: b.finishedAt ?? b.startedAt ?? campaign.createdAt }))
      .filter((b) => at >= b.graceEnd)
      .map((b) => Math.max(b.graceEnd, b.unknownSince));
    if (readySince.length === 0) return false;
    const last = campaign.autoCheckedAt;
    return last === null || readySince.some((since) => since > last) || at - last >= settings.autoCheckRetryMs;
  }

  /** The look-up the engine runs by itself; batches found absent are then sent (nobody twice: the gateway has none of them). */
  async function autoReconcile(campaignId: string): Promise<void> {
    q.updateCampaign(db, campaignId, { autoCheckedAt: now() });
    const outcome = await reconcileUnknown(campaignId);
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign) return;
    const claimable = q.getBatches(db, campaignId).some((b) => b.status === "failed" && b.errorKind === LOOKUP_NOT_FOUND);
    if (claimable && !isActive(campaign.status) && campaign.status !== "cancelled") {
      e.transitionCampaign(db, campaignId, [campaign.status], { status: "sending", finishedAt: null }, now());
    }
    console.log(`[campaign ${campaignId}] automatic check with the gateway: ${outcome.found} found, ${outcome.missing} not found (sent now), ${outcome.inconclusive} still unclear`);
  }

  /** The server's own delivery refresh: then the next one, later each time, until every status is final. */
  async function scheduledDeliveryCheck(campaignId: string): Promise<void> {
    const campaign = q.getCampaign(db, campaignId);
    if (!campaign) return;
    const interval = nextDeliveryInterval(campaign.deliveryIntervalMs, settings.deliveryFirstCheckMs);
    let pending: number;
    try {
      pending = campaign.test ? 0 : (await refreshDeliveryNow(campaign)).stillPending;
    } catch (error) {
      // The gateway did not answer: ask again after the next, longer wait (never in a tight loop).
      q.updateCampaign(db, campaignId, { deliveryNextCheckAt: now() + interval, deliveryIntervalMs: interval });
      throw error;
    }
    q.updateCampaign(db, campaignId, pending > 0 ? { deliveryNextCheckAt: now() + interval, deliveryIntervalMs: interval } : { deliveryNextCheckAt: null, deliveryIntervalMs: null });
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

  /** Looks up the unknown batches at the gateway and stores what it did (see reconcile()); never sends. */
  async function reconcileUnknown(campaignId: string): Promise<ReconcileOutcome> {
    const campaign = requireCampaign(campaignId);
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
    settle(campaignId);
    return outcome;
  }

  async function refreshDeliveryNow(campaign: q.CampaignRow): Promise<{ checked: number; updated: number; unreadable: number; stillPending: number }> {
    const pending = q.pendingDeliveryMessageIds(db, campaign.id);
    let updated = 0;
    let unreadable = 0;
    let final = 0;
    for (let i = 0; i < pending.length; i += REPORT_IDS_PER_CALL) {
      const chunk = pending.slice(i, i + REPORT_IDS_PER_CALL);
      const answer = await fetchReportPages({ ids: chunk.map((m) => m.messageId) });
      unreadable += answer.unreadable.length;
      const reports = new Map(answer.reports.map((r) => [r.messageId, r]));
      const updates: q.RecipientUpdate[] = [];
      for (const message of chunk) {
        const report = reports.get(message.messageId);
        if (!report) continue;
        const update = deliveryUpdate(report, message.position, now());
        if (update.deliveryStatus && FINAL_DELIVERY_STATUSES.includes(update.deliveryStatus as (typeof FINAL_DELIVERY_STATUSES)[number])) final++;
        updates.push(update);
      }
      q.updateRecipients(db, campaign.id, updates);
      updated += updates.length;
    }
    return { checked: pending.length, updated, unreadable, stillPending: pending.length - final };
  }

  /** The lifecycle's verdict on `operation` for the campaign as stored now. */
  function blocker(campaign: q.CampaignRow, operation: CampaignOperation): string | null {
    const batches = countBatches(q.getBatches(db, campaign.id));
    return operationBlocker(
      operation,
      { status: campaign.status, test: campaign.test, scheduledFor: campaign.scheduledFor, batches, deliveryPending: 1, cancelRequested: campaign.cancelRequestedAt !== null },
      now(),
    );
  }

  function requireOperation(campaignId: string, operation: CampaignOperation): q.CampaignRow {
    const campaign = requireCampaign(campaignId);
    const reason = blocker(campaign, operation);
    if (reason) throw new CampaignStateError(reason);
    return campaign;
  }

  /** Sends messages/delete for what the gateway holds scheduled, 500 ids per call; only what it confirms is cancelled (./cancel.ts). */
  async function cancelAtGateway(campaignId: string): Promise<CancelOutcome> {
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
    return { cancelled, failed, reason: reasons.size > 0 ? [...reasons].join(" ") : null };
  }

  /**
   * The end of every cancel, once no batch is in flight: what the gateway holds for a later time is
   * deleted there; the campaign is "cancelled" when nothing stays scheduled, otherwise "scheduled"
   * with the reason (cancelAtGateway). Sent messages stay sent.
   */
  async function finishCancel(campaignId: string, stopped = 0): Promise<CancelOutcome> {
    const campaign = requireCampaign(campaignId);
    if (campaign.status === "cancelled") return { cancelled: stopped, failed: 0, reason: null };
    const scheduledAhead = !campaign.test && campaign.scheduledFor !== null && campaign.scheduledFor > now();
    const atGateway = scheduledAhead ? await cancelAtGateway(campaignId) : { cancelled: 0, failed: 0, reason: null };
    const status: CampaignStatus = atGateway.failed === 0 ? "cancelled" : "scheduled";
    // Messages sent before the cancel are still on their way: their delivery is asked about as after any send.
    const sentBefore = !scheduledAhead && !campaign.test && q.countRecipientsByStatus(db, campaignId).queued > 0;
    const deliveryNextCheckAt = campaign.deliveryNextCheckAt ?? (sentBefore && settings.deliveryPolling ? now() + settings.deliveryFirstCheckMs : null);
    e.transitionCampaign(db, campaignId, [campaign.status], { status, finishedAt: now(), cancelRequestedAt: null, deliveryNextCheckAt }, now());
    return { cancelled: stopped + atGateway.cancelled, failed: atGateway.failed, reason: atGateway.reason };
  }

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  return {
    /**
     * Stores the plan and hands it to the workers (this process's and any other's). The same key again
     * with the same request from the same user → the first campaign, nothing new sent; with another
     * request or from another user → CampaignStateError, nothing stored or sent.
     */
    start(input: StartCampaignInput, actor: Actor): { campaignId: string; created: boolean } {
      const batchSize = input.batchSize ?? BATCH_SIZE_DEFAULT;
      batchCountFor(0, batchSize); // validates the size before anything is stored
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
      if (stored.outcome === "created" && settings.enabled) loop.wake();
      return { campaignId: stored.id, created: stored.outcome === "created" };
    },

    /** Starts this process's workers: they look for work every pollMs (WORKERS=0 never calls this). */
    startWorkers(): void {
      if (settings.enabled) loop.startPolling();
    },

    /** Stops claiming; resolves once this process's batches in flight and checks are recorded. */
    async stopWorkers(): Promise<void> {
      await loop.stop();
      if (seenAt > 0) e.forgetWorker(db, workerId);
      seenAt = 0;
    },

    workerId,
    settings,

    /** Resolves when this process has nothing in flight for the campaign and it no longer sends (tests, the bench). */
    async waitUntilIdle(campaignId: string): Promise<void> {
      for (;;) {
        await loop.pass();
        const campaign = q.getCampaign(db, campaignId);
        const busy = inFlightFor(campaignId) || checking.has(campaignId);
        if (!campaign || (!busy && campaign.status !== "sending")) return;
        if (!busy) await sleep(Math.min(settings.pollMs, 20));
        else await Promise.race([...inFlight.values()].map((f) => f.run).concat([...checking.values()].map((c) => c.then(() => undefined))));
      }
    },

    /** Whether batches of this campaign are being sent (by any process) or wait to be. */
    isRunning(campaignId: string): boolean {
      const campaign = q.getCampaign(db, campaignId);
      return campaign?.status === "sending" || e.batchesInFlight(db, now(), campaignId) > 0;
    },

    /** How long after a batch's request a number the gateway does not report stays unknown. */
    reconcileGraceMs,

    /** A person stops a sending campaign between batches; batches in flight finish and are recorded. */
    async pause(campaignId: string, actor: Actor): Promise<void> {
      requireOperation(campaignId, "pause");
      if (!e.transitionCampaign(db, campaignId, ["sending"], { status: "paused", pauseReason: `Paused by ${actor.email}.`, pauseCode: null, pausedAt: now() }, now())) {
        throw new CampaignStateError("The campaign is no longer sending.");
      }
    },

    /**
     * Goes on with a paused campaign: failed batches (refused, nothing sent for them) are sent again
     * with the ones that never went, and the count of refusals starts over.
     */
    async resume(campaignId: string): Promise<void> {
      requireOperation(campaignId, "resume");
      e.requeueFailedBatches(db, campaignId);
      if (
        !e.transitionCampaign(db, campaignId, ["paused"], { status: "sending", pauseReason: null, pauseCode: null, pausedAt: null, refusalsInRow: 0, finishedAt: null }, now())
      ) {
        throw new CampaignStateError("The campaign is no longer paused.");
      }
      if (settings.enabled) loop.wake();
    },

    /** Explicit retry of batches the gateway clearly refused (nothing was sent for them) in a finished campaign. */
    async retryFailed(campaignId: string, seqs?: number[]): Promise<void> {
      const campaign = requireOperation(campaignId, "retry");
      if (e.requeueFailedBatches(db, campaignId, seqs) === 0) throw new CampaignStateError("There is no failed batch to retry.");
      e.transitionCampaign(db, campaignId, [campaign.status], { status: "sending", finishedAt: null, refusalsInRow: 0 }, now());
      if (settings.enabled) loop.wake();
    },

    /**
     * "Check with gateway": looks up the recipients of "unknown" batches in messages/reports and
     * records what the gateway actually did; never sends. A recipient whose id the batch's answer gave
     * is looked up by that id; any other by phone in the batch's time window (createReportPicker says
     * which report is its message). A number not found stays unknown until the grace period after its
     * batch's request has passed (reports can trail a send); a later check makes it failed (retryable),
     * or, when the gateway's answer had accepted it under an id, queued under that id. The engine runs
     * the same look-up by itself once the grace period is over (autoReconcile).
     */
    async reconcile(campaignId: string): Promise<ReconcileOutcome> {
      requireOperation(campaignId, "reconcile");
      return withCheckLease(campaignId, () => reconcileUnknown(campaignId));
    },

    /**
     * Cancels a campaign. Sending or paused: nothing more is sent (unsent batches are cancelled), batches
     * in flight are waited for and recorded, then what the gateway holds for a later time is deleted.
     * Scheduled: deleted at the gateway, 500 ids per call. Only what the gateway confirms is marked
     * cancelled (./cancel.ts); the campaign becomes "cancelled" only when nothing stays scheduled,
     * otherwise it stays "scheduled" and `reason` says why (shown and audited).
     */
    async cancel(campaignId: string): Promise<CancelOutcome> {
      const campaign = requireOperation(campaignId, "cancel");
      let stopped = 0;
      if (isActive(campaign.status)) {
        if (!e.transitionCampaign(db, campaignId, [campaign.status], { status: "paused", cancelRequestedAt: now(), pauseReason: "Being cancelled.", pausedAt: now() }, now())) {
          throw new CampaignStateError("The campaign changed meanwhile; look again.");
        }
        stopped = e.cancelUnsentBatches(db, campaignId, now());
        const until = now() + CANCEL_WAIT_MS;
        while (e.batchesInFlight(db, now(), campaignId) > 0) {
          if (now() > until) {
            return { cancelled: stopped, failed: 0, reason: "Batches in flight are still being answered; the cancel is finished as soon as they are recorded." };
          }
          await sleep(100);
        }
      }
      return withCheckLease(campaignId, () => finishCancel(campaignId, stopped));
    },

    /**
     * Refreshes delivery statuses of messages not yet final, 500 ids per messages/reports call (the
     * server does this on its own schedule; this is the person's "refresh now"). A status the app does
     * not list is stored as the gateway gave it (and asked about again); a report that could not be
     * read changes nothing and is counted in `unreadable`.
     */
    async refreshDelivery(campaignId: string): Promise<{ checked: number; updated: number; unreadable: number }> {
      const campaign = requireCampaign(campaignId);
      if (campaign.test) return { checked: 0, updated: 0, unreadable: 0 };
      const { checked, updated, unreadable } = await withCheckLease(campaignId, () => refreshDeliveryNow(campaign));
      settle(campaignId);
      return { checked, updated, unreadable };
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
