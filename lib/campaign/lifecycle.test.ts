import { describe, expect, it } from "vitest";
import {
  allowedOperations,
  autoPauseReason,
  BATCH_SIZE_DEFAULT,
  BATCH_SIZE_MAX,
  BATCH_SIZE_MIN,
  BATCH_STATUSES,
  type BatchState,
  type BatchStatus,
  batchCountFor,
  batchSeqOf,
  type CampaignStatus,
  countBatches,
  isClaimable,
  LEASE_EXPIRED,
  type LifecycleFacts,
  LOOKUP_INCONCLUSIVE,
  LOOKUP_NOT_FOUND,
  nextDeliveryInterval,
  operationBlocker,
  settledStatus,
  splitIntoBatches,
} from "./lifecycle";

const numbers = (count: number) => Array.from({ length: count }, (_, i) => i);

describe("splitIntoBatches", () => {
  it("follows the gateway's advice of 50–200 numbers per request", () => {
    expect([BATCH_SIZE_MIN, BATCH_SIZE_DEFAULT, BATCH_SIZE_MAX]).toEqual([50, 200, 200]);
  });

  it("keeps order and puts the remainder in a smaller last batch", () => {
    const batches = splitIntoBatches(numbers(450), 200);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(batches.flat()).toEqual(numbers(450));
  });

  it("makes exact batches without an empty one at the end", () => {
    expect(splitIntoBatches(numbers(400), 200).map((b) => b.length)).toEqual([200, 200]);
    expect(splitIntoBatches(numbers(1), 50)).toEqual([[0]]);
    expect(splitIntoBatches([], 200)).toEqual([]);
  });

  it("handles 100 000 numbers", () => {
    const batches = splitIntoBatches(numbers(100_000), BATCH_SIZE_DEFAULT);
    expect(batches).toHaveLength(500);
    expect(batches.every((b) => b.length === 200)).toBe(true);
  });

  it("does not change the input", () => {
    const input = numbers(120);
    splitIntoBatches(input, 50);
    expect(input).toEqual(numbers(120));
  });

  it.each([0, 49, 201, 50.5, Number.NaN, -100])("refuses a batch size of %s", (size) => {
    expect(() => splitIntoBatches(numbers(10), size)).toThrow(RangeError);
  });
});

describe("batch arithmetic", () => {
  it("agrees with splitIntoBatches on how many batches and which batch each position is in", () => {
    for (const [n, size] of [[0, 50], [1, 50], [450, 200], [100_000, 200], [101, 50]] as const) {
      const batches = splitIntoBatches(numbers(n), size);
      expect(batchCountFor(n, size)).toBe(batches.length);
      batches.forEach((batch, seq) => batch.forEach((position) => expect(batchSeqOf(position, size)).toBe(seq)));
    }
  });
});

const batch = (status: BatchStatus, errorKind: string | null = null): BatchState => ({ status, errorKind });
const facts = (status: CampaignStatus, counts: Partial<Record<BatchStatus, number>> = {}, extra: Partial<LifecycleFacts> = {}): LifecycleFacts => {
  const batches = countBatches(Object.entries(counts).flatMap(([s, n]) => Array.from({ length: n }, () => ({ status: s as BatchStatus }))));
  return { status, test: false, scheduledFor: null, batches, deliveryPending: 0, ...extra };
};
const NOW = Date.UTC(2026, 11, 4, 12);

describe("claimable batches", () => {
  it("only batches that never reached the gateway, or that its reports showed it never got", () => {
    expect(BATCH_STATUSES.filter((s) => isClaimable(batch(s)))).toEqual(["pending"]);
    expect(isClaimable(batch("failed", LOOKUP_NOT_FOUND))).toBe(true);
    expect(isClaimable(batch("failed", "gateway"))).toBe(false);
    expect(isClaimable(batch("unknown", LEASE_EXPIRED))).toBe(false);
    expect(isClaimable(batch("unknown", LOOKUP_INCONCLUSIVE))).toBe(false);
  });
});

describe("the status a campaign settles in", () => {
  const campaign = (status: CampaignStatus, extra: Partial<{ test: boolean; scheduledFor: number | null; cancelRequested: boolean }> = {}) => ({
    status,
    test: false,
    scheduledFor: null,
    cancelRequested: false,
    ...extra,
  });
  it("waits while a batch is in flight or claimable, or while paused or being cancelled", () => {
    expect(settledStatus(campaign("sending"), [batch("done"), batch("sending")], NOW)).toBeNull();
    expect(settledStatus(campaign("sending"), [batch("done"), batch("pending")], NOW)).toBeNull();
    expect(settledStatus(campaign("sending"), [batch("done"), batch("failed", LOOKUP_NOT_FOUND)], NOW)).toBeNull();
    expect(settledStatus(campaign("paused"), [batch("done"), batch("failed")], NOW)).toBeNull();
    expect(settledStatus(campaign("sending", { cancelRequested: true }), [batch("done")], NOW)).toBeNull();
    expect(settledStatus(campaign("cancelled"), [batch("done")], NOW)).toBeNull();
  });
  it("completed, scheduled (a later time), failed (every batch) or partial", () => {
    expect(settledStatus(campaign("sending"), [batch("done"), batch("reconciled")], NOW)).toBe("completed");
    expect(settledStatus(campaign("sending", { scheduledFor: NOW + 1 }), [batch("done")], NOW)).toBe("scheduled");
    expect(settledStatus(campaign("sending", { scheduledFor: NOW + 1, test: true }), [batch("done")], NOW)).toBe("completed");
    expect(settledStatus(campaign("sending"), [batch("failed"), batch("failed")], NOW)).toBe("failed");
    expect(settledStatus(campaign("sending"), [batch("done"), batch("failed")], NOW)).toBe("partial");
    expect(settledStatus(campaign("sending"), [batch("done"), batch("unknown")], NOW)).toBe("partial");
  });
});

describe("automatic pause", () => {
  it("on a refusal that would only repeat: credit, login, permission, IP", () => {
    for (const code of [3004, 1001, 1002, 1003]) expect(autoPauseReason(code, 1, 5)).toMatch(new RegExp(`gateway code ${code}`));
    expect(autoPauseReason(3004, 1, 5)).toMatch(/MMS credit is used up/);
  });
  it("after N refusals in a row, not before", () => {
    expect(autoPauseReason(2000, 4, 5)).toBeNull();
    expect(autoPauseReason(null, 5, 5)).toMatch(/refused 5 batches in a row/);
  });
});

describe("what a person may do in each state", () => {
  const allowed = (f: LifecycleFacts) => Object.entries(allowedOperations(f, NOW)).filter(([, ok]) => ok).map(([op]) => op).sort();
  it("sending: pause or cancel (and check unclear batches)", () => {
    expect(allowed(facts("sending", { pending: 3, sending: 1 }))).toEqual(["cancel", "pause"]);
    expect(allowed(facts("sending", { pending: 3, unknown: 1 }))).toEqual(["cancel", "pause", "reconcile"]);
  });
  it("paused: resume or cancel", () => {
    expect(allowed(facts("paused", { pending: 3, failed: 1 }))).toEqual(["cancel", "resume"]);
  });
  it("partial: retry the failed batches, check the unclear ones, refresh deliveries", () => {
    expect(allowed(facts("partial", { done: 3, failed: 1, unknown: 1 }, { deliveryPending: 10 }))).toEqual(["reconcile", "refresh", "retry"]);
  });
  it("scheduled ahead: cancel at the gateway; once the time has passed, only delivery", () => {
    expect(allowed(facts("scheduled", { done: 2 }, { scheduledFor: NOW + 60_000, deliveryPending: 5 }))).toEqual(["cancel"]);
    expect(allowed(facts("scheduled", { done: 2 }, { scheduledFor: NOW - 60_000, deliveryPending: 5 }))).toEqual(["refresh"]);
  });
  it("cancelled: only the delivery of what was sent before; a test preview: nothing more", () => {
    expect(allowed(facts("cancelled", { done: 1, cancelled: 3 }, { deliveryPending: 5 }))).toEqual(["refresh"]);
    expect(allowed(facts("cancelled", { done: 1, cancelled: 3 }))).toEqual([]);
    expect(allowed(facts("completed", { done: 2 }, { test: true, deliveryPending: 5 }))).toEqual([]);
  });
  it("cancel: a non-test campaign still sending, paused, or scheduled for a time ahead", () => {
    const ahead = { scheduledFor: NOW + 60_000 };
    expect(operationBlocker("cancel", facts("scheduled", { done: 1 }, ahead), NOW)).toBeNull();
    expect(operationBlocker("cancel", facts("scheduled", { done: 1 }, { ...ahead, test: true }), NOW)).toMatch(/Only a campaign that is sending, paused or scheduled/);
    expect(operationBlocker("cancel", facts("partial", { done: 1, failed: 1 }, ahead), NOW)).toMatch(/Only a campaign that is sending, paused or scheduled/);
    expect(operationBlocker("cancel", facts("cancelled", { done: 1 }, ahead), NOW)).toMatch(/already cancelled/);
    expect(operationBlocker("cancel", facts("scheduled", { done: 1 }, { scheduledFor: NOW }), NOW)).toMatch(/time has passed/);
    expect(operationBlocker("cancel", facts("sending", { pending: 1 }, ahead), NOW)).toBeNull();
  });
  it("being cancelled (waiting for batches in flight): neither resume, pause, retry nor a second cancel", () => {
    expect(allowed(facts("paused", { pending: 0, cancelled: 3, sending: 1, failed: 1 }, { cancelRequested: true }))).toEqual([]);
    expect(operationBlocker("resume", facts("paused", {}, { cancelRequested: true }), NOW)).toMatch(/being cancelled/);
  });
  it("every refusal says why in words", () => {
    expect(operationBlocker("resume", facts("completed", { done: 1 }), NOW)).toBe("Only a paused campaign can be resumed.");
    expect(operationBlocker("retry", facts("sending", { failed: 1 }), NOW)).toMatch(/still sending/);
  });
});

describe("the server's delivery checks", () => {
  it("start after the first wait and double up to 30 minutes", () => {
    const waits: number[] = [];
    let previous: number | null = null;
    for (let i = 0; i < 10; i++) waits.push((previous = nextDeliveryInterval(previous)));
    expect(waits.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(waits.at(-1)).toBe(30 * 60_000);
    expect(nextDeliveryInterval(null, 2_000)).toBe(2_000);
  });
});
