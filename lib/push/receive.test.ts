import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCampaignService } from "@/lib/campaign/service";
import { recipientPage } from "@/lib/db/queries/campaigns";
import { listReplies } from "@/lib/db/queries/push";
import { createGatewayClient } from "@/lib/serwersms/client";
import { tempAppDatabase } from "@/tests/support/app-db";
import { startTestSandbox, TEST_TOKEN } from "@/tests/support/sandbox";
import { parsePush, type PushedReply, type PushedReport } from "./params";
import { receivePush } from "./receive";
import { listInboundReplies } from "./replies";
import { DeliveryTargets } from "./targets";

let gateway: Awaited<ReturnType<typeof startTestSandbox>>;
let app: ReturnType<typeof tempAppDatabase>;
let fileId: string;
let clock: number;

beforeAll(async () => {
  gateway = await startTestSandbox();
});
afterAll(async () => {
  await gateway.dispose();
  app?.dispose();
});
beforeEach(async () => {
  gateway.sandbox.reset();
  app?.dispose();
  app = tempAppDatabase();
  fileId = await gateway.uploadPng();
  clock = Date.now();
});

function service() {
  const client = createGatewayClient({ baseUrl: gateway.baseUrl, auth: { kind: "token", token: TEST_TOKEN } });
  return createCampaignService({ db: app.db, gateway: client });
}

async function sendCampaign(phones: string[], extra: { test?: boolean; batchSize?: number } = {}) {
  const svc = service();
  const { campaignId } = svc.start(
    { title: "Push check", fileIds: [fileId], recipients: phones, scheduledFor: null, test: extra.test ?? false, idempotencyKey: crypto.randomUUID(), batchSize: extra.batchSize ?? 50 },
    { id: 1, email: "sender@example.com" },
  );
  await svc.waitUntilIdle(campaignId);
  return { svc, campaignId, rows: () => recipientPage(app.db, { campaignId, page: 1, pageSize: 500 }).rows };
}

const report = (fields: Record<string, string>) => parsePush(fields) as PushedReport;
const reply = (fields: Record<string, string>) => parsePush(fields, clock) as PushedReply;
const phones = (n: number, start = 0) => Array.from({ length: n }, (_, i) => `+48501${String(start + i).padStart(6, "0")}`);

describe("pushed delivery reports", () => {
  it("update the recipient exactly like the polling refresh does, once", async () => {
    const { rows } = await sendCampaign(phones(3));
    const targets = new DeliveryTargets(app.db);
    const [first] = rows();
    const push = report({ smsid: first!.messageId!, stan: "delivered", data: "2026-12-01 10:15:00" });
    expect(receivePush(app.db, push, clock, targets)).toBe("applied");
    expect(rows()[0]).toMatchObject({ deliveryStatus: "delivered", deliveredAt: "2026-12-01 10:15:00", deliveryReason: null, deliveryCheckedAt: clock });

    // The same report again (the panel retries): nothing changes, not even the check time.
    expect(receivePush(app.db, push, clock + 5000, targets)).not.toBe("applied");
    expect(rows()[0]).toMatchObject({ deliveryStatus: "delivered", deliveryCheckedAt: clock });
    // The other recipients are untouched.
    expect(rows().slice(1).map((r) => r.deliveryStatus)).toEqual([null, null]);
  });

  it("a late, less advanced report never undoes a final one", async () => {
    const { rows } = await sendCampaign(phones(1));
    const targets = new DeliveryTargets(app.db);
    const id = rows()[0]!.messageId!;
    expect(receivePush(app.db, report({ id, status: "sent" }), clock, targets)).toBe("applied");
    expect(receivePush(app.db, report({ id, status: "undelivered", reason: "wrong_number" }), clock + 1, targets)).toBe("applied");
    expect(receivePush(app.db, report({ id, status: "sent" }), clock + 2, targets)).not.toBe("applied");
    expect(rows()[0]).toMatchObject({ deliveryStatus: "undelivered", deliveryReason: "wrong_number", deliveryCheckedAt: clock + 1 });
  });

  it("ignores ids we never sent, test-mode messages and cancelled recipients", async () => {
    const real = await sendCampaign(phones(2));
    const preview = await sendCampaign(phones(2, 10), { test: true });
    const targets = new DeliveryTargets(app.db);
    const before = JSON.stringify(real.rows()) + JSON.stringify(preview.rows());
    expect(receivePush(app.db, report({ smsid: "ffffffffff", stan: "delivered" }), clock, targets)).toBe("unknown_id");
    expect(receivePush(app.db, report({ smsid: preview.rows()[0]!.messageId!, stan: "delivered" }), clock, targets)).toBe("unknown_id");
    expect(JSON.stringify(real.rows()) + JSON.stringify(preview.rows())).toBe(before);
  });

  it("finds recipients of batches answered after the first lookup, reading each batch once", async () => {
    const first = await sendCampaign(phones(100), { batchSize: 50 });
    const targets = new DeliveryTargets(app.db);
    expect(receivePush(app.db, report({ id: first.rows()[0]!.messageId!, status: "sent" }), clock, targets)).toBe("applied");
    expect(targets.size).toBe(100);
    const second = await sendCampaign(phones(3, 200));
    expect(receivePush(app.db, report({ id: second.rows()[2]!.messageId!, status: "delivered" }), clock, targets)).toBe("applied");
    expect(second.rows()[2]?.deliveryStatus).toBe("delivered");
    // The final report dropped its entry; nothing else is waited for from that message.
    expect(targets.size).toBe(102);
  });
});

describe("pushed replies", () => {
  it("are stored once and listed newest first, with the campaign they answer when the gateway names the message", async () => {
    const { campaignId, rows } = await sendCampaign(phones(2));
    const older = reply({ numer: "48501000000", wiadomosc: "STOP", data: "2026-12-01 10:00:00" });
    expect(receivePush(app.db, older, clock)).toBe("reply_stored");
    expect(receivePush(app.db, older, clock + 1)).toBe("reply_duplicate");
    const newer = reply({ phone: "+48501000001", text: "Tak, poproszę", recived: "2026-12-01 11:00:00", message_id: rows()[1]!.messageId!, id: "42" });
    expect(receivePush(app.db, newer, clock)).toBe("reply_stored");
    expect(receivePush(app.db, { ...newer, text: "changed" }, clock)).toBe("reply_duplicate");
    expect(listReplies(app.db, { page: 1, pageSize: 10 }).total).toBe(2);

    const listed = listInboundReplies(app.db, { page: 1, pageSize: 10 });
    expect(listed.items.map((r) => [r.phone, r.text, r.campaign?.id ?? null])).toEqual([
      ["+48501000001", "Tak, poproszę", campaignId],
      ["+48501000000", "STOP", null],
    ]);
    expect(listed.items[0]).toMatchObject({ receivedAt: Date.parse("2026-12-01T10:00:00Z"), campaign: { title: "Push check" } });
  });
});
