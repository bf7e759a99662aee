import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getBatches, getCampaign, recipientPage } from "@/lib/db/queries/campaigns";
import { createGatewayClient } from "@/lib/serwersms/client";
import { tempAppDatabase } from "@/tests/support/app-db";
import { startTestSandbox, TEST_TOKEN } from "@/tests/support/sandbox";
import { DEFAULT_RECONCILE_GRACE_MS } from "./reconcile";
import { LOOKUP_INCONCLUSIVE, LOOKUP_NOT_FOUND } from "./lifecycle";
import { createCampaignService, type StartCampaignInput } from "./service";
import { summarizeCampaign } from "./view";

/**
 * "Check with gateway" (issue 11 item 10) against the sandbox over real HTTP: lagging reports, other
 * campaigns' messages to the same numbers, and ids known from an answer that could not be stored.
 * The service's clock is Date.now() plus `offsetMs`, so the grace period passes without waiting.
 */

let gateway: Awaited<ReturnType<typeof startTestSandbox>>;
let app: ReturnType<typeof tempAppDatabase>;
let fileId: string;
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;
const actor = { id: 1, email: "sender@example.com" };
const TITLE = "Autumn sale";

function phones(n: number, start = 0): string[] {
  return Array.from({ length: n }, (_, i) => `+48510${String(start + i).padStart(6, "0")}`);
}

/** Request bodies of every messages/reports call the service made. */
const reportQueries: Record<string, unknown>[] = [];

function service(timeoutMs = 5_000) {
  const client = createGatewayClient({
    baseUrl: gateway.baseUrl,
    auth: { kind: "token", token: TEST_TOKEN },
    timeoutMs,
    fetch: async (url, init) => {
      if (String(url).includes("messages/reports") && typeof init?.body === "string") reportQueries.push(JSON.parse(init.body));
      return fetch(url, init);
    },
  });
  return createCampaignService({ db: app.db, gateway: client, now: clock });
}

function input(overrides: Partial<StartCampaignInput> = {}): StartCampaignInput {
  return { title: TITLE, fileIds: [fileId], recipients: phones(10), scheduledFor: null, test: false, idempotencyKey: crypto.randomUUID(), ...overrides };
}

const rows = (campaignId: string) => recipientPage(app.db, { campaignId, page: 1, pageSize: 200_000 }).rows;
const recordedQueued = (campaignId: string) =>
  rows(campaignId)
    .filter((r) => r.status === "queued")
    .map((r) => `${r.phone}:${r.messageId}`)
    .sort();
const ledgerPairs = (entries = gateway.sandbox.ledger()) => entries.map((e) => `${e.phone}:${e.id}`).sort();
const summary = (campaignId: string) => summarizeCampaign(app.db, getCampaign(app.db, campaignId)!, false, clock());

/** How many messages the gateway accepted per number: the proof that nobody got one twice. */
function sendsPerNumber(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of gateway.sandbox.ledger()) counts.set(entry.phone, (counts.get(entry.phone) ?? 0) + 1);
  return counts;
}

/** A message to the same numbers that the app did not send (e.g. from the SerwerSMS panel). */
async function sendOutsideTheApp(numbers: string[], title = TITLE, files = [fileId]) {
  const answer = await gateway.call("messages/send_mms", { phone: numbers, title, file_id: files, details: true });
  if (!answer.success) throw new Error(JSON.stringify(answer));
}

beforeAll(async () => {
  gateway = await startTestSandbox();
});
afterAll(async () => {
  await gateway.dispose();
  app?.dispose();
});
beforeEach(async () => {
  gateway.sandbox.reset();
  offsetMs = 0;
  reportQueries.length = 0;
  app?.dispose();
  app = tempAppDatabase();
  fileId = await gateway.uploadPng("reconcile.png");
});
afterEach(() => {
  // Whatever a look-up decides, the trigger-kept per-status counts stay equal to a real count.
  const actual = app.sqlite.prepare("select campaign_id as c, status, count(*) as n from campaign_recipients group by 1, 2 order by 1, 2").all();
  const kept = app.sqlite.prepare("select campaign_id as c, status, n from campaign_status_counts where n <> 0 order by 1, 2").all();
  expect(kept).toEqual(actual);
});

describe("reconcile: reports that lag behind the gateway's acceptance", () => {
  it("an accepted batch the reports do not list yet stays unknown, is never offered for retry, and is found once the reports catch up", async () => {
    gateway.sandbox.setFaults({ reportLagMs: 60_000, rules: [{ action: "messages/send_mms", nth: [2], kind: "timeoutAfterAccept" }] });
    const svc = service(1_000);
    const recipients = phones(150);
    const { campaignId } = svc.start(input({ recipients, batchSize: 50, concurrency: 1 }), actor);
    await svc.waitUntilIdle(campaignId);
    expect(getBatches(app.db, campaignId).map((b) => b.status)).toEqual(["done", "unknown", "done"]);

    // The user checks with the gateway, then presses whatever the campaign page offers.
    const outcome = await svc.reconcile(campaignId);
    if (summary(campaignId).actions.retry) {
      await svc.retryFailed(campaignId);
      await svc.waitUntilIdle(campaignId);
    }
    // The gateway took batch 2 once; nothing may send it again.
    expect(gateway.sandbox.ledger()).toHaveLength(150);
    expect([...sendsPerNumber().values()].every((n) => n === 1)).toBe(true);

    expect(outcome).toEqual({ found: 0, missing: 0, inconclusive: 50 });
    const batch = getBatches(app.db, campaignId)[1]!;
    expect(batch).toMatchObject({ status: "unknown", errorKind: LOOKUP_INCONCLUSIVE });
    expect(batch.errorMessage).toMatch(/not reported 50 numbers yet/);
    expect(rows(campaignId).filter((r) => r.batchSeq === 1).every((r) => r.status === "unknown" && r.deliveryCheckedAt !== null)).toBe(true);
    const inconclusive = summary(campaignId);
    expect(inconclusive.actions).toMatchObject({ retry: false, reconcile: true });
    expect(inconclusive.inconclusive).toEqual({ numbers: 50, checkAfter: batch.startedAt! + DEFAULT_RECONCILE_GRACE_MS, checkedAt: expect.any(Number) });
    await expect(svc.retryFailed(campaignId)).rejects.toThrow(/no failed batch/);

    // The reports catch up: the same check now finds every number, with the gateway's own ids.
    await gateway.admin("clock", { advanceMs: 60_000 });
    expect(await svc.reconcile(campaignId)).toEqual({ found: 50, missing: 0, inconclusive: 0 });
    expect(getBatches(app.db, campaignId)[1]).toMatchObject({ status: "reconciled", errorKind: null });
    expect(getCampaign(app.db, campaignId)?.status).toBe("completed");
    expect(summary(campaignId).inconclusive).toBeNull();
    expect(recordedQueued(campaignId)).toEqual(ledgerPairs());
  });

  it("a number the gateway reports as unsent (refused, 3103) is recorded unsent, never queued", async () => {
    gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", nth: [1], kind: "timeoutAfterAccept" }] });
    const svc = service(1_000);
    // The service takes numbers as given; the sandbox refuses "+4812" as too short (3103) and keeps it
    // in its reports as unsent, as the gateway does (shared docs serwersms-api.md §3.4).
    const recipients = [...phones(3), "+4812"];
    const { campaignId } = svc.start(input({ recipients, batchSize: 50, concurrency: 1 }), actor);
    await svc.waitUntilIdle(campaignId);
    expect(getBatches(app.db, campaignId).map((b) => b.status)).toEqual(["unknown"]);

    expect(await svc.reconcile(campaignId)).toEqual({ found: 4, missing: 0, inconclusive: 0 });
    const refused = rows(campaignId).find((r) => r.phone === "+4812")!;
    expect(refused).toMatchObject({ status: "unsent" });
    expect(gateway.sandbox.ledger().map((e) => e.phone)).not.toContain("+4812");
    expect(recordedQueued(campaignId)).toEqual(ledgerPairs());
    expect(getBatches(app.db, campaignId)[0]).toMatchObject({ status: "reconciled", queued: 3, unsent: 1 });
  });

  it("a number still not reported after the grace period becomes failed, and the user's retry sends it exactly once", async () => {
    gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", nth: [2], kind: "reset" }] });
    const svc = service();
    const recipients = phones(150);
    const { campaignId } = svc.start(input({ recipients, batchSize: 50, concurrency: 1 }), actor);
    await svc.waitUntilIdle(campaignId);
    expect(getBatches(app.db, campaignId)[1]?.status).toBe("unknown");

    expect(await svc.reconcile(campaignId)).toEqual({ found: 0, missing: 0, inconclusive: 50 });
    // Counted from the batch's request, not from the look-up.
    offsetMs = DEFAULT_RECONCILE_GRACE_MS - 60_000;
    expect(await svc.reconcile(campaignId)).toEqual({ found: 0, missing: 0, inconclusive: 50 });
    expect(summary(campaignId).actions.retry).toBe(false);

    offsetMs = DEFAULT_RECONCILE_GRACE_MS + 1_000;
    expect(await svc.reconcile(campaignId)).toEqual({ found: 0, missing: 50, inconclusive: 0 });
    expect(getBatches(app.db, campaignId)[1]).toMatchObject({ status: "failed", errorKind: LOOKUP_NOT_FOUND });
    expect(summary(campaignId)).toMatchObject({ inconclusive: null, actions: { retry: true, reconcile: false } });

    await svc.retryFailed(campaignId);
    await svc.waitUntilIdle(campaignId);
    expect(gateway.sandbox.ledger().map((e) => e.phone).sort()).toEqual([...recipients].sort());
    expect(recordedQueued(campaignId)).toEqual(ledgerPairs());
    expect(getCampaign(app.db, campaignId)?.status).toBe("completed");
  });
});

describe("reconcile: messages that are not this campaign's", () => {
  it("another campaign's message to the same number with the same title is never taken as this campaign's", async () => {
    gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", nth: [1], kind: "reset" }] });
    const svc = service();
    const numbers = phones(50);
    const a = svc.start(input({ recipients: numbers }), actor).campaignId;
    await svc.waitUntilIdle(a);
    expect(getBatches(app.db, a)[0]?.status).toBe("unknown");
    expect(gateway.sandbox.ledger()).toEqual([]);
    // A second campaign, same title and files, to the same numbers, sent right after: inside A's window.
    const b = svc.start(input({ recipients: numbers }), actor).campaignId;
    await svc.waitUntilIdle(b);
    expect(getCampaign(app.db, b)?.status).toBe("completed");

    offsetMs = DEFAULT_RECONCILE_GRACE_MS + 1_000;
    expect(await svc.reconcile(a)).toEqual({ found: 0, missing: 50, inconclusive: 0 });
    expect(rows(a).every((r) => r.status === "failed" && r.messageId === null)).toBe(true);

    await svc.retryFailed(a);
    await svc.waitUntilIdle(a);
    // Each number got exactly one message from each campaign, and each message is recorded once.
    expect([...sendsPerNumber().values()]).toEqual(Array(50).fill(2));
    const recorded = [...recordedQueued(a), ...recordedQueued(b)].sort();
    expect(recorded).toEqual(ledgerPairs());
    expect(new Set(recorded).size).toBe(100);
  });

  it("of several unclaimed reports for a number, takes the one closest to the batch's request", async () => {
    gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", nth: [1], kind: "timeoutAfterAccept" }] });
    const svc = service(1_000);
    const numbers = phones(3);
    const { campaignId } = svc.start(input({ recipients: numbers }), actor);
    await svc.waitUntilIdle(campaignId);
    expect(getBatches(app.db, campaignId)[0]?.status).toBe("unknown");
    const own = ledgerPairs();
    // A minute later the same numbers get the same MMS from outside the app, still inside the window.
    await gateway.admin("clock", { advanceMs: 60_000 });
    await sendOutsideTheApp(numbers);

    expect(await svc.reconcile(campaignId)).toEqual({ found: 3, missing: 0, inconclusive: 0 });
    expect(recordedQueued(campaignId)).toEqual(own);
  });
});

describe("reconcile: message ids the gateway gave", () => {
  it("an answer that could not be stored keeps the gateway's ids, and the check looks them up by id", async () => {
    // The batch's answer arrives, but storing it fails (a full disk, say): the batch must become unknown.
    app.sqlite.exec(
      "create trigger reconcile_test_store_fails before update of status on campaign_batches when new.status = 'done' begin select raise(abort, 'disk I/O error'); end",
    );
    const svc = service();
    const numbers = phones(3);
    const { campaignId } = svc.start(input({ recipients: numbers }), actor);
    await svc.waitUntilIdle(campaignId);
    app.sqlite.exec("drop trigger reconcile_test_store_fails");
    expect(getBatches(app.db, campaignId)[0]?.status).toBe("unknown");
    const accepted = ledgerPairs();
    expect(rows(campaignId).map((r) => `${r.phone}:${r.messageId}`).sort()).toEqual(accepted);
    expect(rows(campaignId).every((r) => r.status === "unknown")).toBe(true);

    // The same MMS from outside the app, to the same numbers, in the same window.
    await sendOutsideTheApp(numbers);
    expect(await svc.reconcile(campaignId)).toEqual({ found: 3, missing: 0, inconclusive: 0 });
    expect(recordedQueued(campaignId)).toEqual(accepted);
    expect(reportQueries.length).toBeGreaterThan(0);
    expect(reportQueries.every((body) => body.phone === undefined && Array.isArray(body.id))).toBe(true);
  });

  it("a message the gateway's answer accepted is never made retryable, even when its report is still missing after the grace period", async () => {
    app.sqlite.exec(
      "create trigger reconcile_test_store_fails before update of status on campaign_batches when new.status = 'done' begin select raise(abort, 'disk I/O error'); end",
    );
    gateway.sandbox.setFaults({ reportLagMs: 3_600_000, rules: [] });
    const svc = service();
    const { campaignId } = svc.start(input({ recipients: phones(3) }), actor);
    await svc.waitUntilIdle(campaignId);
    app.sqlite.exec("drop trigger reconcile_test_store_fails");
    const accepted = ledgerPairs();

    expect(await svc.reconcile(campaignId)).toEqual({ found: 0, missing: 0, inconclusive: 3 });
    offsetMs = DEFAULT_RECONCILE_GRACE_MS + 1_000;
    expect(await svc.reconcile(campaignId)).toEqual({ found: 3, missing: 0, inconclusive: 0 });
    expect(getBatches(app.db, campaignId)[0]?.status).toBe("reconciled");
    expect(recordedQueued(campaignId)).toEqual(accepted);
    expect(summary(campaignId).actions).toMatchObject({ retry: false, reconcile: false, refresh: true });
    expect(gateway.sandbox.ledger()).toHaveLength(3);

    // Once the reports catch up, the delivery refresh asks for exactly those ids.
    await gateway.admin("clock", { advanceMs: 3_600_000 });
    expect(await svc.refreshDelivery(campaignId)).toEqual({ checked: 3, updated: 3, unreadable: 0 });
  });
});
