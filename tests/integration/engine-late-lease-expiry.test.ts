import { afterEach, beforeEach, expect, it } from "vitest";
import { createCampaignService, type CampaignService } from "@/lib/campaign/service";
import { getBatches, getCampaign } from "@/lib/db/queries/campaigns";
import { claimBatch } from "@/lib/db/queries/engine";
import { createGatewayClient } from "@/lib/serwersms/client";
import { tempAppDatabase } from "@/tests/support/app-db";
import { startTestSandbox, TEST_TOKEN, type TestSandbox } from "@/tests/support/sandbox";

/*
 * Engine bug (fixed), found by tests/e2e/crash-recovery.spec.ts and two-processes.spec.ts (they fail in
 * about a third of the runs with the campaign stuck at "Partly sent"): when a process dies holding
 * several batches whose leases run out at different moments (a batch claimed after the last lease
 * renewal expires later than the others), the survivor's automatic look-up covers only the batches
 * already unknown when it ran. A batch that becomes unknown after that look-up, its grace period
 * already over, is not looked up until autoCheckRetryMs (60 s) later: autoCheckDue() in
 * lib/campaign/service.ts compares campaign.autoCheckedAt with the earliest grace end of the unknown
 * batches, and that grace end lies before the look-up that never saw the batch. Meanwhile the
 * campaign settles as "partial" (settledStatus), so the campaign page stops polling and shows
 * "Partly sent" even after the engine completes it a minute later.
 *
 * Fixed: autoCheckDue() now treats a batch that became unknown (or whose grace ended) after the last
 * automatic look-up as new to it.
 */

const actor = { id: 1, email: "sender@example.com" };
let gateway: TestSandbox;
let app: ReturnType<typeof tempAppDatabase>;
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;
let survivor: CampaignService | null = null;

beforeEach(async () => {
  gateway = await startTestSandbox();
  app = tempAppDatabase();
  offsetMs = 0;
});
afterEach(async () => {
  await survivor?.stopWorkers();
  survivor = null;
  await gateway.dispose();
  app.dispose();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("a batch whose lease runs out after the automatic look-up of another is looked up as soon as its own lease is over", async () => {
  const fileId = await gateway.uploadPng();
  const client = createGatewayClient({ baseUrl: gateway.baseUrl, auth: { kind: "token", token: TEST_TOKEN }, timeoutMs: 5_000 });
  const recipients = Array.from({ length: 150 }, (_, i) => `+48511${String(i).padStart(6, "0")}`);

  // The process that dies: it stores the plan and claims two batches, the second with a lease that
  // ends 2 s after the first's, then stops before either request reached the gateway.
  const dead = createCampaignService({ db: app.db, gateway: client, now: clock, engine: { enabled: false }, workerId: "dead" });
  const { campaignId } = dead.start(
    { title: "Late lease", fileIds: [fileId], recipients, scheduledFor: null, test: false, idempotencyKey: crypto.randomUUID(), batchSize: 50, concurrency: 2 },
    actor,
  );
  const t0 = clock();
  expect(claimBatch(app.db, { owner: "dead", now: t0, leaseMs: 1_000, maxInFlight: 4, minIntervalMs: 0 }).claimed).toEqual({ campaignId, seq: 0 });
  expect(claimBatch(app.db, { owner: "dead", now: t0, leaseMs: 3_000, maxInFlight: 4, minIntervalMs: 0 }).claimed).toEqual({ campaignId, seq: 1 });
  const batch = (seq: number) => getBatches(app.db, campaignId).find((b) => b.seq === seq)!;

  // The surviving process, with the grace period at 0 as in the e2e tests (this sandbox's reports never lag).
  survivor = createCampaignService({ db: app.db, gateway: client, now: clock, reconcileGraceMs: 0, engine: { pollMs: 20 } });
  offsetMs = 2_000; // batch 0's lease is over, batch 1's is not
  survivor.startWorkers();
  // Batch 0 is looked up (absent), then sent; batch 2 never left and is sent.
  await until(() => batch(0).status === "done" && batch(2).status === "done");
  expect(batch(1).status).toBe("sending");

  offsetMs = 4_000; // now batch 1's lease is over too: its grace ended long ago
  await until(() => batch(1).status !== "sending");
  const state = () => ({ campaign: getCampaign(app.db, campaignId)!.status, batch1: batch(1).status, ledger: gateway.sandbox.ledger().length });
  // Expected: looked up at once (absent: nothing reached the gateway), sent, the campaign completed.
  // Before the fix: { campaign: "partial", batch1: "unknown", ledger: 100 } until 60 s after the first look-up.
  await until(() => state().campaign === "completed", 2_000).catch(() => undefined);
  expect(state()).toEqual({ campaign: "completed", batch1: "done", ledger: recipients.length });
});
