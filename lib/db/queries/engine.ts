import { and, asc, count, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import { LEASE_EXPIRED, LOOKUP_NOT_FOUND } from "@/lib/campaign/lifecycle";
import { appSettings, campaignBatches, campaignRecipients, campaigns, engineWorkers } from "../app-schema";
import type { AppDatabase } from "../index";

/*
 * The send engine's state, kept in the database so that any number of processes on the same data
 * share it (lib/campaign/engine.ts). Every decision two processes could race on (claiming a batch,
 * the global cap, the pace, the check lease of a campaign) is one IMMEDIATE transaction: SQLite runs
 * them one after another across processes, so a count read inside holds until the write.
 */

export type BatchKey = { campaignId: string; seq: number };

export type ClaimLimits = {
  owner: string;
  now: number;
  leaseMs: number;
  /** Batches in flight at once for the gateway account, over every process (GATEWAY_MAX_CONCURRENT_SENDS). */
  maxInFlight: number;
  /** Least time between two send requests to the gateway, over every process (0: no pace). */
  minIntervalMs: number;
};

/** Where the next send request may start, per gateway account (app_settings). */
const NEXT_SEND_KEY = "engine:next-send-at";

export type Claim = { claimed: BatchKey; attempts: number } | { claimed: null; retryAt: number | null };

/**
 * Claims the next batch to send, or says why none: the cap is reached, the pace says wait until
 * `retryAt`, or nothing is claimable. The claimed batch is "sending" under `owner`'s lease before this
 * returns, so the request that follows is always preceded by a stored claim.
 */
export function claimBatch(db: AppDatabase, limits: ClaimLimits): Claim {
  return db.transaction(
    (tx): Claim => {
      const { now } = limits;
      const inFlight = tx
        .select({ n: count() })
        .from(campaignBatches)
        .where(and(eq(campaignBatches.status, "sending"), gte(campaignBatches.leaseExpiresAt, now)))
        .get()!.n;
      if (inFlight >= limits.maxInFlight) return { claimed: null, retryAt: null };
      // This process's share of the cap: the cap over the live workers (seen within a lease time), so
      // the one that always frees a slot first does not take every slot.
      const live = tx.select({ n: count() }).from(engineWorkers).where(gte(engineWorkers.seenAt, now - limits.leaseMs)).get()!.n;
      const share = Math.ceil(limits.maxInFlight / Math.max(1, live));
      const mine = tx
        .select({ n: count() })
        .from(campaignBatches)
        .where(and(eq(campaignBatches.status, "sending"), eq(campaignBatches.leaseOwner, limits.owner), gte(campaignBatches.leaseExpiresAt, now)))
        .get()!.n;
      if (mine >= share) return { claimed: null, retryAt: null };
      let nextAt = 0;
      if (limits.minIntervalMs > 0) {
        nextAt = Number(tx.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, NEXT_SEND_KEY)).get()?.value ?? 0);
        if (nextAt > now) return { claimed: null, retryAt: nextAt };
      }
      const sending = tx
        .select({ id: campaigns.id, concurrency: campaigns.concurrency })
        .from(campaigns)
        .where(eq(campaigns.status, "sending"))
        .orderBy(asc(campaigns.createdAt))
        .all();
      for (const campaign of sending) {
        const own = tx
          .select({ n: count() })
          .from(campaignBatches)
          .where(and(eq(campaignBatches.campaignId, campaign.id), eq(campaignBatches.status, "sending")))
          .get()!.n;
        if (own >= campaign.concurrency) continue;
        // lifecycle.ts isClaimable, in SQL.
        const next = tx
          .select({ seq: campaignBatches.seq, attempts: campaignBatches.attempts })
          .from(campaignBatches)
          .where(
            and(
              eq(campaignBatches.campaignId, campaign.id),
              or(eq(campaignBatches.status, "pending"), and(eq(campaignBatches.status, "failed"), eq(campaignBatches.errorKind, LOOKUP_NOT_FOUND))),
            ),
          )
          .orderBy(asc(campaignBatches.seq))
          .limit(1)
          .get();
        if (!next) continue;
        tx.update(campaignBatches)
          .set({
            status: "sending",
            leaseOwner: limits.owner,
            leaseExpiresAt: now + limits.leaseMs,
            attempts: next.attempts + 1,
            startedAt: now,
            finishedAt: null,
            errorKind: null,
            errorCode: null,
            errorMessage: null,
          })
          .where(and(eq(campaignBatches.campaignId, campaign.id), eq(campaignBatches.seq, next.seq)))
          .run();
        if (limits.minIntervalMs > 0) {
          const value = Math.max(now, nextAt) + limits.minIntervalMs;
          tx.insert(appSettings)
            .values({ key: NEXT_SEND_KEY, value, updatedAt: now })
            .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: now } })
            .run();
        }
        return { claimed: { campaignId: campaign.id, seq: next.seq }, attempts: next.attempts + 1 };
      }
      return { claimed: null, retryAt: null };
    },
    { behavior: "immediate" },
  );
}

/** Extends the leases `owner` still holds; answers how many it still held (a lost one was expired by another process). */
export function renewLeases(db: AppDatabase, owner: string, keys: readonly BatchKey[], expiresAt: number): number {
  if (keys.length === 0) return 0;
  let held = 0;
  db.transaction(
    (tx) => {
      for (const key of keys) {
        held += tx
          .update(campaignBatches)
          .set({ leaseExpiresAt: expiresAt })
          .where(
            and(
              eq(campaignBatches.campaignId, key.campaignId),
              eq(campaignBatches.seq, key.seq),
              eq(campaignBatches.status, "sending"),
              eq(campaignBatches.leaseOwner, owner),
            ),
          )
          .run().changes;
      }
    },
    { behavior: "immediate" },
  );
  return held;
}

const LEASE_EXPIRED_MESSAGE =
  "The server process sending this batch stopped before the gateway's answer was stored: these messages may have been sent. They are looked up at the gateway, never resent blindly.";

/**
 * Batches whose lease ran out (their process died mid-request) become unknown, with their unsent
 * recipients: the gateway may have taken them. Answers the campaigns touched.
 */
export function expireLeases(db: AppDatabase, now: number): string[] {
  return db.transaction(
    (tx) => {
      const expired = tx
        .select({ campaignId: campaignBatches.campaignId, seq: campaignBatches.seq })
        .from(campaignBatches)
        .where(and(eq(campaignBatches.status, "sending"), or(isNull(campaignBatches.leaseExpiresAt), lt(campaignBatches.leaseExpiresAt, now))))
        .all();
      for (const batch of expired) {
        tx.update(campaignBatches)
          .set({ status: "unknown", finishedAt: now, leaseOwner: null, leaseExpiresAt: null, errorKind: LEASE_EXPIRED, errorMessage: LEASE_EXPIRED_MESSAGE })
          .where(and(eq(campaignBatches.campaignId, batch.campaignId), eq(campaignBatches.seq, batch.seq), eq(campaignBatches.status, "sending")))
          .run();
        tx.update(campaignRecipients)
          .set({ status: "unknown", errorMessage: LEASE_EXPIRED_MESSAGE })
          .where(
            and(
              eq(campaignRecipients.campaignId, batch.campaignId),
              eq(campaignRecipients.batchSeq, batch.seq),
              inArray(campaignRecipients.status, ["pending", "failed"]),
            ),
          )
          .run();
      }
      return [...new Set(expired.map((b) => b.campaignId))];
    },
    { behavior: "immediate" },
  );
}

/** Batches in flight right now, over every process (for the view and the bench's cap check). */
export function batchesInFlight(db: AppDatabase, now: number, campaignId?: string): number {
  return db
    .select({ n: count() })
    .from(campaignBatches)
    .where(
      and(
        eq(campaignBatches.status, "sending"),
        gte(campaignBatches.leaseExpiresAt, now),
        campaignId === undefined ? undefined : eq(campaignBatches.campaignId, campaignId),
      ),
    )
    .get()!.n;
}

export function campaignIdsWithStatus(db: AppDatabase, status: "sending" | "paused"): string[] {
  return db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.status, status)).all().map((r) => r.id);
}

/** Campaigns with unknown batches (the automatic look-up's candidates), except cancelled ones. */
export function campaignIdsWithUnknownBatches(db: AppDatabase): string[] {
  return db
    .selectDistinct({ id: campaignBatches.campaignId })
    .from(campaignBatches)
    .innerJoin(campaigns, eq(campaigns.id, campaignBatches.campaignId))
    .where(and(eq(campaignBatches.status, "unknown"), sql`${campaigns.status} <> 'cancelled'`))
    .all()
    .map((r) => r.id);
}

/** Campaigns whose delivery check is due. */
export function dueDeliveryChecks(db: AppDatabase, now: number, limit = 20): string[] {
  return db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(isNotNull(campaigns.deliveryNextCheckAt), lte(campaigns.deliveryNextCheckAt, now)))
    .orderBy(asc(campaigns.deliveryNextCheckAt))
    .limit(limit)
    .all()
    .map((r) => r.id);
}

/**
 * Takes the check lease of a campaign (look-up, delivery refresh, cancel at the gateway) for `owner`
 * until `expiresAt`. False when another check holds it.
 */
export function takeCheck(db: AppDatabase, campaignId: string, owner: string, now: number, expiresAt: number): boolean {
  return (
    db
      .update(campaigns)
      .set({ checkOwner: owner, checkExpiresAt: expiresAt })
      .where(and(eq(campaigns.id, campaignId), or(isNull(campaigns.checkOwner), lt(campaigns.checkExpiresAt, now), eq(campaigns.checkOwner, owner))))
      .run().changes === 1
  );
}

export function releaseCheck(db: AppDatabase, campaignId: string, owner: string): void {
  db.update(campaigns)
    .set({ checkOwner: null, checkExpiresAt: null })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.checkOwner, owner)))
    .run();
}

/**
 * Moves a campaign from one status to another only if it is still in `from`: two processes (or a
 * person and a worker) deciding at once cannot both win. Answers whether it moved.
 */
export function transitionCampaign(
  db: AppDatabase,
  campaignId: string,
  from: readonly (typeof campaigns.$inferSelect)["status"][],
  values: Partial<typeof campaigns.$inferInsert> & { status: (typeof campaigns.$inferSelect)["status"] },
  now: number,
): boolean {
  return db.update(campaigns).set({ ...values, updatedAt: now }).where(and(eq(campaigns.id, campaignId), inArray(campaigns.status, [...from]))).run().changes === 1;
}

/** Failed batches go back to pending (nothing was sent for them), with their failed recipients. */
export function requeueFailedBatches(db: AppDatabase, campaignId: string, seqs?: readonly number[]): number {
  return db.transaction((tx) => {
    const where = and(
      eq(campaignBatches.campaignId, campaignId),
      eq(campaignBatches.status, "failed"),
      seqs ? inArray(campaignBatches.seq, [...seqs]) : undefined,
    );
    const failed = tx.select({ seq: campaignBatches.seq }).from(campaignBatches).where(where).all();
    if (failed.length === 0) return 0;
    tx.update(campaignBatches).set({ status: "pending" }).where(where).run();
    return failed.length;
  });
}

/**
 * A cancel stops what has not been sent: pending (and failed, retryable) batches are cancelled with
 * their recipients. Batches in flight are left to finish and be recorded.
 */
export function cancelUnsentBatches(db: AppDatabase, campaignId: string, now: number): number {
  return db.transaction(
    (tx) => {
      const open = tx
        .select({ seq: campaignBatches.seq })
        .from(campaignBatches)
        .where(and(eq(campaignBatches.campaignId, campaignId), inArray(campaignBatches.status, ["pending", "failed"])))
        .all()
        .map((b) => b.seq);
      if (open.length === 0) return 0;
      tx.update(campaignBatches)
        .set({ status: "cancelled", finishedAt: now })
        .where(and(eq(campaignBatches.campaignId, campaignId), inArray(campaignBatches.status, ["pending", "failed"])))
        .run();
      let cancelled = 0;
      for (let i = 0; i < open.length; i += 500) {
        cancelled += tx
          .update(campaignRecipients)
          .set({ status: "cancelled" })
          .where(
            and(
              eq(campaignRecipients.campaignId, campaignId),
              inArray(campaignRecipients.batchSeq, open.slice(i, i + 500)),
              inArray(campaignRecipients.status, ["pending", "failed"]),
            ),
          )
          .run().changes;
      }
      return cancelled;
    },
    { behavior: "immediate" },
  );
}

/** One more refused batch in a row; answers the new count. */
export function countRefusal(db: AppDatabase, campaignId: string): number {
  return (
    db
      .update(campaigns)
      .set({ refusalsInRow: sql`${campaigns.refusalsInRow} + 1` })
      .where(eq(campaigns.id, campaignId))
      .returning({ n: campaigns.refusalsInRow })
      .get()?.n ?? 0
  );
}

/** An answered batch ends a run of refusals (written only when there was one). */
export function resetRefusals(db: AppDatabase, campaignId: string): void {
  db.update(campaigns).set({ refusalsInRow: 0 }).where(and(eq(campaigns.id, campaignId), sql`${campaigns.refusalsInRow} <> 0`)).run();
}

/** A worker says it is alive (every pass, at most every third of a lease); rows unseen for a day are dropped. */
export function seeWorker(db: AppDatabase, id: string, now: number): void {
  db.insert(engineWorkers)
    .values({ id, startedAt: now, seenAt: now })
    .onConflictDoUpdate({ target: engineWorkers.id, set: { seenAt: now } })
    .run();
  db.delete(engineWorkers).where(lt(engineWorkers.seenAt, now - 24 * 60 * 60_000)).run();
}

/** A worker that stops cleanly leaves at once, so the others' shares grow without waiting for its lease. */
export function forgetWorker(db: AppDatabase, id: string): void {
  db.delete(engineWorkers).where(eq(engineWorkers.id, id)).run();
}

/**
 * Whether a campaign still has a batch in flight or waiting to be sent (settling it can wait): one
 * indexed look-up instead of reading its 500 batches on every pass of every worker.
 */
export function hasOpenBatches(db: AppDatabase, campaignId: string): boolean {
  return (
    db
      .select({ seq: campaignBatches.seq })
      .from(campaignBatches)
      .where(and(eq(campaignBatches.campaignId, campaignId), inArray(campaignBatches.status, ["pending", "sending"])))
      .limit(1)
      .get() !== undefined
  );
}
