import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getBatches, getCampaign, recipientPage } from "@/lib/db/queries/campaigns";
import { createGatewayClient } from "@/lib/serwersms/client";
import { tempAppDatabase } from "@/tests/support/app-db";
import { type FakeAnswer, type FakeGateway, startFakeGateway } from "@/tests/support/fake-gateway";
import { createCampaignService, type StartCampaignInput } from "./service";
import { summarizeCampaign, toRecipientResult } from "./view";

/**
 * The campaign pipeline against send and report answers the sandbox never gives (issue 12, item 2):
 * odd items cost only themselves, and a recipient the answer cannot be tied to is "unknown", never
 * "failed" or someone else's result.
 */

let fake: FakeGateway;
let app: ReturnType<typeof tempAppDatabase>;
const actor = { id: 1, email: "sender@example.com" };
const PHONES = ["+48500600700", "+48500600701", "+48500600702", "+48500600703"];

function service() {
  const gateway = createGatewayClient({ baseUrl: fake.baseUrl, auth: { kind: "token", token: "answers-token" }, timeoutMs: 5_000, onUnreadable: () => undefined });
  return createCampaignService({ db: app.db, gateway });
}

function input(overrides: Partial<StartCampaignInput> = {}): StartCampaignInput {
  return { title: "Odd answers", fileIds: ["b67d70c22d"], recipients: PHONES, scheduledFor: null, test: false, idempotencyKey: crypto.randomUUID(), ...overrides };
}

function recipients(campaignId: string) {
  return recipientPage(app.db, { campaignId, page: 1, pageSize: 100 }).rows;
}

async function send(answer: FakeAnswer) {
  fake.answer("messages/send_mms", answer);
  const svc = service();
  const { campaignId } = svc.start(input(), actor);
  await svc.waitUntilIdle(campaignId);
  return { svc, campaignId };
}

beforeAll(async () => {
  fake = await startFakeGateway();
});
afterAll(() => fake.close());
beforeEach(() => {
  app = tempAppDatabase();
});
afterEach(() => {
  app.dispose();
  fake.calls.length = 0;
});

describe("recording a send answer", () => {
  it("keeps what it can read and leaves the rest unknown: an unreadable item, a status it does not know", async () => {
    const { campaignId } = await send({
      success: true,
      queued: 3,
      unsent: 1,
      items: [
        { id: "aaaaaaaaa0", phone: "+48500600700", status: "queued", queued: "2026-11-25 10:00:00", parts: 1 },
        { id: "aaaaaaaaa1", phone: null, status: "queued" },
        { id: "aaaaaaaaa2", phone: "+48500600702", status: "accepted_for_later" },
        { id: "aaaaaaaaa3", phone: "+48500600703", status: "unsent", error_code: "3103", error_message: "Incorrect number" },
      ],
    });
    const rows = recipients(campaignId);
    expect(rows.map((r) => [r.phone, r.status, r.messageId, r.errorCode])).toEqual([
      ["+48500600700", "queued", "aaaaaaaaa0", null],
      ["+48500600701", "unknown", null, null],
      ["+48500600702", "unknown", "aaaaaaaaa2", null],
      ["+48500600703", "unsent", "aaaaaaaaa3", 3103],
    ]);
    expect(rows[2]!.errorMessage).toMatch(/“accepted_for_later”/);
    expect(getBatches(app.db, campaignId)).toEqual([expect.objectContaining({ status: "unknown", errorKind: "incomplete_answer", queued: 1, unsent: 1 })]);
    const summary = summarizeCampaign(app.db, getCampaign(app.db, campaignId)!, false);
    expect(summary.actions.reconcile).toBe(true);
    expect(summary.recipients.failed).toBe(0);
  });

  it("does not hand results to recipients by position when the numbers do not fit", async () => {
    // Same number of items as recipients, but the gateway's numbers are not ours: nothing is known.
    const { campaignId } = await send({
      success: true,
      queued: 0,
      unsent: 4,
      items: PHONES.map((_, i) => ({ id: null, phone: `+4899988877${i}`, status: "unsent", error_code: 3103, error_message: "Incorrect number" })),
    });
    expect(recipients(campaignId).map((r) => r.status)).toEqual(["unknown", "unknown", "unknown", "unknown"]);
  });

  it("still matches numbers the gateway rewrote", async () => {
    const { campaignId } = await send({
      success: true,
      items: PHONES.map((phone, i) => ({ id: `bbbbbbbbb${i}`, phone: phone.slice(3), status: "queued" })).reverse(),
    });
    expect(recipients(campaignId).map((r) => [r.status, r.messageId])).toEqual(PHONES.map((_, i) => ["queued", `bbbbbbbbb${i}`]));
    expect(getBatches(app.db, campaignId)[0]!.status).toBe("done");
  });
});

describe("refreshing delivery statuses", () => {
  it("applies the reports it can read, keeps an unlisted status as it came and asks about it again", async () => {
    const { svc, campaignId } = await send({
      success: true,
      items: PHONES.map((phone, i) => ({ id: `ccccccccc${i}`, phone, status: "queued" })),
    });
    fake.answer("messages/reports", {
      paging: { page: 1, count: 1 },
      items: [
        { id: "ccccccccc0", phone: "+48500600700", status: "delivered", delivered: "2026-11-25 10:00:06" },
        { id: "ccccccccc1", phone: "+48500600701", status: "undelivered", reason: "brand_new_reason" },
        { id: "ccccccccc2", phone: "+48500600702", status: "held_by_operator" },
        { phone: "+48500600703", status: "delivered" },
      ],
    });
    expect(await svc.refreshDelivery(campaignId)).toEqual({ checked: 4, updated: 3, unreadable: 1 });
    const rows = recipients(campaignId);
    expect(rows.map((r) => [r.deliveryStatus, r.deliveryReason])).toEqual([
      ["delivered", null],
      ["undelivered", "brand_new_reason"],
      ["held_by_operator", null],
      [null, null],
    ]);
    const shown = rows.map((row) => toRecipientResult(row, false));
    expect(shown[2]!.deliveryStatusLabel).toBe("unknown status: held_by_operator");
    expect(shown[1]!.deliveryExplanation).toMatch(/brand_new_reason/);

    // The unlisted status and the unread report are still pending: the next refresh asks about both.
    fake.calls.length = 0;
    await svc.refreshDelivery(campaignId);
    const asked = fake.calls.find((call) => call.action === "messages/reports")?.body.id;
    expect(asked).toEqual(["ccccccccc2", "ccccccccc3"]);
  });
});
