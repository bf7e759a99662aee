/**
 * Integration: the durable send engine (lib/campaign/service.ts over lib/db/queries/engine.ts)
 * against the sandbox over real HTTP, with injected faults. Several "processes" are several services,
 * each with its own worker id and its own SQLite connection to one database file, which is what two
 * `next start` instances on one data folder are to each other. Every scenario ends by comparing the
 * sandbox's ledger with the campaign's record: everyone once, nobody missing.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CampaignService, createCampaignService, type StartCampaignInput } from "@/lib/campaign/service";
import type { EngineSettings } from "@/lib/campaign/engine";
import { LEASE_EXPIRED } from "@/lib/campaign/lifecycle";
import { openAppDatabase } from "@/lib/db";
import { getBatches, getCampaign, recipientPage, recordBatchOutcome } from "@/lib/db/queries/campaigns";
import * as e from "@/lib/db/queries/engine";
import { createGatewayClient } from "@/lib/serwersms/client";
import { makeTempDir, numberWithPlannedOutcome, startTestSandbox, TEST_TOKEN } from "@/tests/support/sandbox";

let gateway: Awaited<ReturnType<typeof startTestSandbox>>;
let dir: string;
let fileId: string;
const handles: ReturnType<typeof openAppDatabase>[] = [];
const services: CampaignService[] = [];
const actor = { id: 1, email: "sender@example.com" };

/** Send requests in flight at the gateway, over every service of a test (counted at the fetch layer). */
const wire = { inFlight: 0, peak: 0, starts: [] as number[] };

function phones(n: number, start = 0): string[] {
  return Array.from({ length: n }, (_, i) => `+48501${String(start + i).padStart(6, "0")}`);
}

/** One "process": its own connection to the shared database file and its own workers. */
function process_(engine: Partial<EngineSettings> = {}, options: { reconcileGraceMs?: number; fetch?: typeof fetch; timeoutMs?: number } = {}) {
  const handle = openAppDatabase(path.join(dir, "app.db"));
  handles.push(handle);
  const own = { sends: 0, reports: 0 };
  const counting: typeof fetch = async (input, init) => {
    if (String(input).includes("messages/reports")) own.reports++;
    const sending = String(input).includes("messages/send_mms");
    if (sending) {
      own.sends++;
      wire.inFlight++;
      wire.peak = Math.max(wire.peak, wire.inFlight);
      wire.starts.push(Date.now());
    }
    try {
      return await (options.fetch ?? fetch)(input, init);
    } finally {
      if (sending) wire.inFlight--;
    }
  };
  const client = createGatewayClient({ baseUrl: gateway.baseUrl, auth: { kind: "token", token: TEST_TOKEN }, timeoutMs: options.timeoutMs ?? 5_000, fetch: counting });
  const service = createCampaignService({
    db: handle.db,
    gateway: client,
    reconcileGraceMs: options.reconcileGraceMs ?? 0,
    engine: { pollMs: 20, leaseMs: 2_000, ...engine },
  });
  services.push(service);
  return { db: handle.db, sqlite: handle.sqlite, service, own };
}

function input(overrides: Partial<StartCampaignInput> = {}): StartCampaignInput {
  return { title: "Engine", fileIds: [fileId], recipients: phones(10), scheduledFor: null, test: false, idempotencyKey: crypto.randomUUID(), ...overrides };
}

/** The campaign's record of who got which message id, and the gateway's. */
function recordAndLedger(db: ReturnType<typeof process_>["db"], campaignId: string, title = "Engine") {
  const record = recipientPage(db, { campaignId, status: "queued", page: 1, pageSize: 1_000_000 })
    .rows.map((r) => `${r.phone}:${r.messageId}`)
    .sort();
  const ledger = gateway.sandbox
    .ledger()
    .filter((entry) => entry.title === title)
    .map((entry) => `${entry.phone}:${entry.id}`)
    .sort();
  return { record, ledger };
}

function expectExact(db: ReturnType<typeof process_>["db"], campaignId: string, recipients: string[], title = "Engine") {
  const { record, ledger } = recordAndLedger(db, campaignId, title);
  expect(record).toEqual(ledger);
  const sent = gateway.sandbox.ledger().filter((entry) => entry.title === title).map((entry) => entry.phone);
  expect(sent.length).toBe(new Set(sent).size); // nobody twice
  expect(new Set(sent)).toEqual(new Set(recipients)); // nobody missing
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  gateway = await startTestSandbox();
});
afterAll(async () => {
  await gateway.dispose();
});
beforeEach(async () => {
  gateway.sandbox.reset();
  wire.inFlight = 0;
  wire.peak = 0;
  wire.starts = [];
  dir = makeTempDir("engine-");
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } }).png().toBuffer();
  const client = createGatewayClient({ baseUrl: gateway.baseUrl, auth: { kind: "token", token: TEST_TOKEN } });
  fileId = (await client.files.upload({ bytes: png, name: "a.png", contentType: "image/png" })).id;
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stopWorkers()));
  for (const handle of handles.splice(0)) handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("integration: several processes on one database", () => {
  it("two processes share a campaign under one cap on sends in flight; everyone once", async () => {
    gateway.sandbox.setFaults({ latencyMs: 30, rules: [] });
    const a = process_({ maxInFlight: 3 });
    const b = process_({ maxInFlight: 3 });
    const recipients = phones(2_000);
    // Concurrency 8 for the campaign: the account's cap (3) is what limits.
    const { campaignId } = a.service.start(input({ recipients, batchSize: 50, concurrency: 8 }), actor);
    a.service.startWorkers();
    b.service.startWorkers();
    await until(() => getCampaign(a.db, campaignId)?.status === "completed", 30_000);
    expect(wire.peak).toBeLessThanOrEqual(3);
    expect(wire.peak).toBeGreaterThanOrEqual(2);
    // Both processes sent, and no batch was sent twice.
    expect(a.own.sends).toBeGreaterThan(0);
    expect(b.own.sends).toBeGreaterThan(0);
    expect(a.own.sends + b.own.sends).toBe(40);
    expect(new Set(getBatches(a.db, campaignId).map((batch) => batch.attempts))).toEqual(new Set([1]));
    expectExact(a.db, campaignId, recipients);
  });

  it("a plan stored by a web-only process (WORKERS=0) is sent by a worker process", async () => {
    const web = process_({ enabled: false });
    const worker = process_();
    const recipients = phones(300);
    const { campaignId } = web.service.start(input({ recipients, batchSize: 100 }), actor);
    web.service.startWorkers(); // does nothing: this process never sends
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(gateway.sandbox.ledger()).toEqual([]);
    worker.service.startWorkers();
    await until(() => getCampaign(worker.db, campaignId)?.status === "completed");
    expectExact(worker.db, campaignId, recipients);
  });

  it("a live but slow sender keeps its claim: its lease is renewed through a request longer than the lease", async () => {
    gateway.sandbox.setFaults({ latencyMs: 700, rules: [] });
    const a = process_({ leaseMs: 300 });
    const b = process_({ leaseMs: 300 });
    const recipients = phones(200);
    const { campaignId } = a.service.start(input({ recipients, batchSize: 50, concurrency: 2 }), actor);
    a.service.startWorkers();
    b.service.startWorkers();
    await until(() => getCampaign(a.db, campaignId)?.status === "completed", 30_000);
    expect(getBatches(a.db, campaignId).map((batch) => [batch.status, batch.attempts])).toEqual(Array(4).fill(["done", 1]));
    expectExact(a.db, campaignId, recipients);
  });
});

describe("integration: a process that dies mid-request", () => {
  /** A batch claimed by a process that then died, with (or without) its request having reached the gateway. */
  async function deadClaim(db: ReturnType<typeof process_>["db"], campaignId: string, reached: boolean) {
    const claim = e.claimBatch(db, { owner: "dead-process", now: Date.now(), leaseMs: 200, maxInFlight: 4, minIntervalMs: 0 });
    expect(claim.claimed).toEqual({ campaignId, seq: 0 });
    if (reached) {
      const client = createGatewayClient({ baseUrl: gateway.baseUrl, auth: { kind: "token", token: TEST_TOKEN } });
      await client.messages.sendMms({ phones: phones(50), title: "Engine", fileIds: [fileId] });
    }
  }

  for (const reached of [true, false]) {
    it(`its batch becomes unknown when the lease runs out, is looked up, and ${reached ? "is found (not resent)" : "is sent once (the gateway never got it)"}`, async () => {
      const web = process_({ enabled: false });
      const recipients = phones(150);
      const { campaignId } = web.service.start(input({ recipients, batchSize: 50, concurrency: 1 }), actor);
      await deadClaim(web.db, campaignId, reached);
      const survivor = process_();
      survivor.service.startWorkers();
      await until(() => getCampaign(survivor.db, campaignId)?.status === "completed", 30_000);
      const first = getBatches(survivor.db, campaignId)[0]!;
      expect(first.status).toBe(reached ? "reconciled" : "done");
      expect(first.attempts).toBe(reached ? 1 : 2);
      expectExact(survivor.db, campaignId, recipients);
    });
  }

  it("a late answer from a sender whose lease ran out lands only while nobody else took the batch", () => {
    const { db, sqlite, service } = process_({ enabled: false });
    const { campaignId } = service.start(input({ recipients: phones(50), batchSize: 50 }), actor);
    const now = Date.now();
    e.claimBatch(db, { owner: "slow", now, leaseMs: 10, maxInFlight: 4, minIntervalMs: 0 });
    e.expireLeases(db, now + 20);
    expect(getBatches(db, campaignId)[0]).toMatchObject({ status: "unknown", errorKind: LEASE_EXPIRED });
    // Its definite answer is the best record there is while the batch is still the unknown it became.
    expect(recordDone(db, campaignId, "slow")).toBe(true);
    expect(getBatches(db, campaignId)[0]?.status).toBe("done");
    // Another owner's claim is never overwritten.
    sqlite.prepare("update campaign_batches set status = 'sending', lease_owner = 'other', lease_expires_at = ? where campaign_id = ?").run(now + 60_000, campaignId);
    expect(recordDone(db, campaignId, "slow")).toBe(false);
    expect(getBatches(db, campaignId)[0]).toMatchObject({ status: "sending", leaseOwner: "other" });
  });
});

function recordDone(db: ReturnType<typeof process_>["db"], campaignId: string, owner: string): boolean {
  return recordBatchOutcome(db, campaignId, 0, { status: "done", finishedAt: Date.now() }, [], owner);
}

describe("integration: pause, resume, cancel, auto-pause", () => {
  it("pause stops new batches between batches (those in flight finish), resume completes, everyone once", async () => {
    gateway.sandbox.setFaults({ latencyMs: 80, rules: [] });
    const { db, service } = process_();
    const recipients = phones(1_000);
    const { campaignId } = service.start(input({ recipients, batchSize: 50, concurrency: 1 }), actor);
    service.startWorkers();
    await until(() => gateway.sandbox.ledger().length >= 150);
    await service.pause(campaignId, actor);
    await until(() => e.batchesInFlight(db, Date.now(), campaignId) === 0);
    const atPause = gateway.sandbox.ledger().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.sandbox.ledger().length).toBe(atPause);
    expect(getCampaign(db, campaignId)).toMatchObject({ status: "paused", pauseReason: "Paused by sender@example.com." });
    expect(atPause).toBeLessThan(recipients.length);
    await service.resume(campaignId);
    await until(() => getCampaign(db, campaignId)?.status === "completed", 30_000);
    expectExact(db, campaignId, recipients);
  });

  it("N refused batches in a row pause the campaign with the reason; resume sends the refused ones too", async () => {
    gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", nth: [2, 3, 4], kind: "http500" }] });
    const { db, service } = process_({ autoPauseAfterRefusals: 3 });
    const recipients = phones(500);
    const { campaignId } = service.start(input({ recipients, batchSize: 50, concurrency: 1 }), actor);
    service.startWorkers();
    await until(() => getCampaign(db, campaignId)?.status === "paused");
    expect(getCampaign(db, campaignId)?.pauseReason).toMatch(/refused 3 batches in a row/);
    expect(getBatches(db, campaignId).map((b) => b.status)).toEqual(["done", "failed", "failed", "failed", ...Array(6).fill("pending")]);
    await service.resume(campaignId);
    await until(() => getCampaign(db, campaignId)?.status === "completed", 30_000);
    expectExact(db, campaignId, recipients);
  });

  it("an answered batch ends a run of refusals: refusals that are not in a row do not pause", async () => {
    gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", nth: [1, 3, 5], kind: "http500" }] });
    const { db, service } = process_({ autoPauseAfterRefusals: 2 });
    const { campaignId } = service.start(input({ recipients: phones(300), batchSize: 50, concurrency: 1 }), actor);
    await service.waitUntilIdle(campaignId);
    expect(getCampaign(db, campaignId)?.status).toBe("partial");
  });

  it("cancel while sending: nothing more is sent, the batch in flight is recorded, the rest is cancelled", async () => {
    gateway.sandbox.setFaults({ latencyMs: 150, rules: [] });
    const { db, service } = process_();
    const recipients = phones(1_000);
    const { campaignId } = service.start(input({ recipients, batchSize: 50, concurrency: 1 }), actor);
    service.startWorkers();
    await until(() => gateway.sandbox.ledger().length >= 100);
    const outcome = await service.cancel(campaignId);
    const sent = gateway.sandbox.ledger().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.sandbox.ledger().length).toBe(sent);
    expect(getCampaign(db, campaignId)?.status).toBe("cancelled");
    expect(outcome).toMatchObject({ failed: 0, cancelled: recipients.length - sent });
    const { record, ledger } = recordAndLedger(db, campaignId);
    expect(record).toEqual(ledger);
    expect(recipientPage(db, { campaignId, status: "cancelled", page: 1, pageSize: 1 }).total).toBe(recipients.length - sent);
    // What went out before the cancel is still on its way: its delivery is asked about.
    expect(getCampaign(db, campaignId)?.deliveryNextCheckAt).not.toBeNull();
  });
});

describe("integration: the server refreshes delivery statuses by itself", () => {
  it("after the campaign settles, statuses are asked for on a schedule until every one is final", async () => {
    const delivered = numberWithPlannedOutcome("delivered");
    const undelivered = numberWithPlannedOutcome("undelivered");
    const { db, service } = process_({ deliveryFirstCheckMs: 50 });
    const { campaignId } = service.start(input({ recipients: [delivered, undelivered] }), actor);
    service.startWorkers();
    await until(() => {
      const rows = recipientPage(db, { campaignId, page: 1, pageSize: 10 }).rows;
      return rows.every((row) => row.deliveryStatus === "delivered" || row.deliveryStatus === "undelivered");
    }, 30_000);
    await until(() => getCampaign(db, campaignId)?.deliveryNextCheckAt === null);
  });
});

describe("integration: one pace for every process", () => {
  it("GATEWAY_MAX_REQUESTS_PER_SECOND spaces send requests over two processes", async () => {
    const a = process_({ minIntervalMs: 100 });
    const b = process_({ minIntervalMs: 100 });
    const recipients = phones(400);
    const { campaignId } = a.service.start(input({ recipients, batchSize: 50, concurrency: 4 }), actor);
    a.service.startWorkers();
    b.service.startWorkers();
    await until(() => getCampaign(a.db, campaignId)?.status === "completed", 30_000);
    // The pace is kept where requests are decided, the claims (stored start times); on the wire a busy
    // event loop may shift one request by a few ms, but 8 requests still span at least ~700 ms.
    const claimed = getBatches(a.db, campaignId).map((batch) => batch.startedAt!).sort((x, y) => x - y);
    const gaps = claimed.slice(1).map((t, i) => t - claimed[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    const starts = [...wire.starts].sort((x, y) => x - y);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(650);
    expectExact(a.db, campaignId, recipients);
  });
});

describe("integration: the server's own checks back off when the gateway does not answer", () => {
  it("a delivery check that fails is asked again only after the next, longer wait", async () => {
    gateway.sandbox.setFaults({ rules: [{ action: "messages/reports", kind: "http500" }] });
    const { db, service, own } = process_({ deliveryFirstCheckMs: 50 });
    const { campaignId } = service.start(input({ recipients: phones(3) }), actor);
    service.startWorkers();
    // Without an answer the schedule still moves on: a wait is set and grows, as after a successful check.
    await until(() => (getCampaign(db, campaignId)?.deliveryIntervalMs ?? 0) >= 100, 15_000);
    const failedAt = Date.now();
    expect(getCampaign(db, campaignId)?.deliveryNextCheckAt).toBeGreaterThan(failedAt - 200);
    // The client retries a read a few times with backoff; the engine itself never asks every pass (20 ms).
    const calls = own.reports;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(own.reports - calls).toBeLessThan(10);
  });
});
