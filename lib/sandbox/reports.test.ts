import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { plannedDeliveryOutcome, UNDELIVERED_REASONS } from "@/lib/sandbox";
import { numberWithPlannedOutcome, startTestSandbox, type TestSandbox } from "@/tests/support/sandbox";

// 2026-07-01 12:00:00 in Warsaw (CEST, UTC+2).
const START = Date.parse("2026-07-01T10:00:00Z");
let gw: TestSandbox;
let fileId: string;

const deliveredPhone = numberWithPlannedOutcome("delivered");
const undeliveredPhone = numberWithPlannedOutcome("undelivered");

beforeAll(async () => {
  gw = await startTestSandbox({ now: () => START, deliveryTimeline: { sentAfterMs: 2000, finalAfterMs: 6000 } });
});
afterAll(async () => {
  await gw.dispose();
});
beforeEach(async () => {
  gw.sandbox.reset();
  fileId = await gw.uploadPng();
});

const send = (body: Record<string, unknown>) => gw.call("messages/send_mms", { title: "Summer", file_id: fileId, details: true, ...body });

describe("plannedDeliveryOutcome", () => {
  it("is deterministic and fails about 1 number in 10 with a documented reason", () => {
    expect(plannedDeliveryOutcome(undeliveredPhone)).toEqual(plannedDeliveryOutcome(undeliveredPhone));
    let undelivered = 0;
    const reasons = new Set<string>();
    for (let n = 0; n < 20_000; n++) {
      const outcome = plannedDeliveryOutcome(`+48600${String(n).padStart(6, "0")}`);
      if (outcome.status === "undelivered") {
        undelivered++;
        reasons.add(outcome.reason);
      }
    }
    expect(undelivered / 20_000).toBeGreaterThan(0.08);
    expect(undelivered / 20_000).toBeLessThan(0.12);
    expect([...reasons].sort()).toEqual([...UNDELIVERED_REASONS].sort());
  });
});

describe("messages/reports", () => {
  it("walks in_progress → sent → delivered/undelivered with the admin clock", async () => {
    const sent = await send({ phone: [deliveredPhone, undeliveredPhone] });
    const [okId, failId] = sent.items.map((item: { id: string }) => item.id);

    const first = await gw.call("messages/reports", { id: [okId, failId] });
    expect(first.paging).toEqual({ page: 1, count: 1 });
    expect(first.items[0]).toEqual({
      id: okId,
      phone: deliveredPhone,
      status: "in_progress",
      queued: "2026-07-01 12:00:00",
      sent: null,
      delivered: null,
      sender: null,
      type: "mms",
      text: "Summer",
      parts: 1,
      cost: 0.2,
      attachments: [{ id: fileId }],
      reason: null,
    });

    await gw.admin("clock", { advanceMs: 2000 });
    const second = await gw.call("messages/reports", { id: `${okId},${failId}` });
    expect(second.items.map((item: { status: string }) => item.status)).toEqual(["sent", "sent"]);
    expect(second.items[0].sent).toBe("2026-07-01 12:00:02");

    expect(await gw.admin("clock", { advanceMs: 4000 })).toEqual({ clockOffsetMs: 6000, now: "2026-07-01 12:00:06" });
    const final = await gw.call("messages/reports", { id: [okId, failId] });
    expect(final.items[0]).toMatchObject({ status: "delivered", sent: "2026-07-01 12:00:02", delivered: "2026-07-01 12:00:06", reason: null });
    const failure = plannedDeliveryOutcome(undeliveredPhone);
    expect(final.items[1]).toMatchObject({
      status: "undelivered",
      delivered: null,
      reason: failure.status === "undelivered" ? failure.reason : "?",
    });

    expect(await gw.call("messages/view", { id: failId })).toEqual(final.items[1]);
    expect((await gw.call("messages/view", { id: "ffffffffff" })).error).toMatchObject({ code: 1004, type: "InvalidID" });
    expect((await gw.call("messages/view", {})).error.code).toBe(2000);
  });

  it("derives a scheduled message's status from its send time", async () => {
    const answer = await send({ phone: deliveredPhone, date: "2026-07-01 12:10" });
    const id = answer.items[0].id;
    expect((await gw.call("messages/view", { id })).status).toBe("saved");
    await gw.admin("clock", { advanceMs: 10 * 60_000 });
    expect((await gw.call("messages/view", { id })).status).toBe("in_progress");
    // Too late to cancel once its time has come.
    expect((await gw.call("messages/delete", { id })).success).toBe(false);
    await gw.admin("clock", { advanceMs: 6000 });
    expect(await gw.call("messages/view", { id })).toMatchObject({ status: "delivered", sent: "2026-07-01 12:10:02", delivered: "2026-07-01 12:10:06" });
  });

  it("filters by status, phone, type and queue time and pages the result", async () => {
    await send({ phone: [deliveredPhone, undeliveredPhone, "500600700"] });
    await gw.admin("clock", { advanceMs: 60_000 });
    await send({ phone: deliveredPhone });

    const all = await gw.call("messages/reports", {});
    expect(all.items).toHaveLength(4);
    expect((await gw.call("messages/reports", { status: "undelivered" })).items.map((item: { phone: string }) => item.phone)).toEqual(
      [undeliveredPhone, "+48500600700"].filter((phone) => plannedDeliveryOutcome(phone).status === "undelivered"),
    );
    expect((await gw.call("messages/reports", { status: "in_progress" })).items).toHaveLength(1);
    expect((await gw.call("messages/reports", { phone: deliveredPhone.slice(3) })).items).toHaveLength(2);
    expect((await gw.call("messages/reports", { type: "eco" })).items).toEqual([]);
    expect((await gw.call("messages/reports", { type: "mms" })).items).toHaveLength(4);
    expect((await gw.call("messages/reports", { date_from: "2026-07-01 12:01" })).items).toHaveLength(1);
    expect((await gw.call("messages/reports", { date_to: "2026-07-01 12:00:00" })).items).toHaveLength(3);
    expect((await gw.call("messages/reports", { date_to: "2026-07-01 11:59" })).items).toHaveLength(0);

    const page2 = await gw.call("messages/reports", { limit: 3, page: 2 });
    expect(page2.paging).toEqual({ page: 2, count: 2 });
    expect(page2.items).toHaveLength(1);
    const desc = await gw.call("messages/reports", { order: "desc", limit: 1 });
    expect(desc.items[0].queued).toBe("2026-07-01 12:01:00");

    for (const bad of [{ status: "lost" }, { type: "fax" }, { page: 0 }, { order: "up" }, { date_from: "yesterday" }, { limit: "x" }]) {
      expect((await gw.call("messages/reports", bad)).error.code).toBe(1006);
    }
  });

  it("takes at most 500 ids", async () => {
    const ids = Array.from({ length: 500 }, (_, i) => i.toString(16).padStart(10, "0"));
    expect((await gw.call("messages/reports", { id: ids })).items).toEqual([]);
    const tooMany = await gw.call("messages/reports", { id: [...ids, "ffffffffff"] });
    expect(tooMany.error).toMatchObject({ code: 1006, type: "InvalidData" });
    expect(tooMany.error.message).toMatch(/500/);
  });
});
