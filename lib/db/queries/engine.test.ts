import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BATCH_STATUSES, isClaimable, LEASE_EXPIRED, LOOKUP_INCONCLUSIVE, LOOKUP_NOT_FOUND } from "@/lib/campaign/lifecycle";
import { tempAppDatabase } from "@/tests/support/app-db";
import { getBatches, insertCampaignPlan } from "./campaigns";
import { claimBatch, expireLeases, seeWorker } from "./engine";

let app: ReturnType<typeof tempAppDatabase>;
beforeEach(() => {
  app = tempAppDatabase();
});
afterEach(() => app.dispose());

function plan(id: string, batches: number, status: "sending" | "paused" = "sending", createdAt = 1) {
  insertCampaignPlan(app.db, {
    id,
    idempotencyKey: id,
    requestHash: null,
    createdBy: 1,
    createdByEmail: "a@example.com",
    createdAt,
    updatedAt: createdAt,
    title: id,
    text: null,
    fileIds: ["f"],
    test: false,
    scheduledFor: null,
    scheduleSent: null,
    status,
    batchSize: 50,
    concurrency: 8,
    phones: Array.from({ length: batches * 50 }, (_, i) => `+48500${String(i).padStart(6, "0")}`),
  });
}
const setBatch = (id: string, seq: number, status: string, errorKind: string | null) =>
  app.sqlite.prepare("update campaign_batches set status = ?, error_kind = ? where campaign_id = ? and seq = ?").run(status, errorKind, id, seq);
const limits = (owner = "w1", now = 1_000) => ({ owner, now, leaseMs: 10_000, maxInFlight: 100, minIntervalMs: 0 });

describe("claimBatch", () => {
  it("claims exactly the batches lifecycle.ts calls claimable, in order", () => {
    const kinds: [string, string | null][] = [
      ...BATCH_STATUSES.filter((s) => s !== "sending").map((s): [string, string | null] => [s, null]),
      ["failed", LOOKUP_NOT_FOUND],
      ["unknown", LOOKUP_INCONCLUSIVE],
      ["unknown", LEASE_EXPIRED],
    ];
    plan("c", kinds.length);
    kinds.forEach(([status, kind], seq) => setBatch("c", seq, status, kind));
    const claimed: number[] = [];
    for (;;) {
      const claim = claimBatch(app.db, limits());
      if (!claim.claimed) break;
      claimed.push(claim.claimed.seq);
    }
    const expected = kinds.flatMap(([status, errorKind], seq) => (isClaimable({ status: status as never, errorKind }) ? [seq] : []));
    expect(claimed).toEqual(expected);
    expect(expected.length).toBe(2);
  });

  it("never claims from a campaign that is not sending", () => {
    plan("p", 2, "paused");
    expect(claimBatch(app.db, limits()).claimed).toBeNull();
  });

  it("holds the cap on batches in flight over every owner, and shares it out among the live workers", () => {
    plan("c", 10);
    seeWorker(app.db, "w1", 1_000);
    seeWorker(app.db, "w2", 1_000);
    const capped = { leaseMs: 10_000, maxInFlight: 4, minIntervalMs: 0, now: 1_000 };
    const take = (owner: string) => claimBatch(app.db, { ...capped, owner }).claimed !== null;
    // Two live workers: two each, however eager one of them is.
    expect([take("w1"), take("w1"), take("w1")]).toEqual([true, true, false]);
    expect([take("w2"), take("w2"), take("w2")]).toEqual([true, true, false]);
    // A worker not seen within a lease no longer counts: the live one may take the whole cap.
    app.sqlite.prepare("update campaign_batches set status = 'done', lease_owner = null where status = 'sending'").run();
    const later = { ...capped, now: 20_000 };
    seeWorker(app.db, "w1", 20_000);
    const results = Array.from({ length: 5 }, () => claimBatch(app.db, { ...later, owner: "w1" }).claimed !== null);
    expect(results).toEqual([true, true, true, true, false]);
  });

  it("an expired lease frees its slot: the batch becomes unknown with its unsent recipients", () => {
    plan("c", 2);
    claimBatch(app.db, { ...limits(), leaseMs: 100, maxInFlight: 1 });
    expect(claimBatch(app.db, { ...limits(), maxInFlight: 1 }).claimed).toBeNull();
    expect(expireLeases(app.db, 1_200)).toEqual(["c"]);
    expect(getBatches(app.db, "c")[0]).toMatchObject({ status: "unknown", errorKind: LEASE_EXPIRED, leaseOwner: null });
    expect(app.sqlite.prepare("select count(*) as n from campaign_recipients where batch_seq = 0 and status = 'unknown'").get()).toEqual({ n: 50 });
    expect(claimBatch(app.db, { ...limits("w1", 1_200), maxInFlight: 1 }).claimed).toEqual({ campaignId: "c", seq: 1 });
  });

  it("keeps one pace over every owner", () => {
    plan("c", 3);
    const paced = { leaseMs: 10_000, maxInFlight: 10, minIntervalMs: 250 };
    expect(claimBatch(app.db, { ...paced, owner: "w1", now: 1_000 }).claimed).not.toBeNull();
    expect(claimBatch(app.db, { ...paced, owner: "w2", now: 1_100 })).toEqual({ claimed: null, retryAt: 1_250 });
    expect(claimBatch(app.db, { ...paced, owner: "w2", now: 1_250 }).claimed).not.toBeNull();
  });
});
