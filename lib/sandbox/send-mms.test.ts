import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestSandbox, type TestSandbox } from "@/tests/support/sandbox";

// 2026-03-10 11:00:00 in Warsaw (CET, UTC+1).
const START = Date.parse("2026-03-10T10:00:00Z");
let gw: TestSandbox;
let fileId: string;

beforeAll(async () => {
  gw = await startTestSandbox({ now: () => START, mmsLimit: 1000 });
});
afterAll(async () => {
  await gw.dispose();
});
beforeEach(async () => {
  gw.sandbox.reset();
  fileId = await gw.uploadPng();
});

const send = (body: Record<string, unknown>) => gw.call("messages/send_mms", { title: "Promo", file_id: fileId, ...body });

describe("messages/send_mms", () => {
  it("queues valid recipients in +48 form and records them in one ledger call", async () => {
    const answer = await send({ phone: ["500 600 700", "+48 (600) 700-800", "48700800900", "0048800900100", "+4915112345678"], details: true, text: "Body" });
    expect(answer).toMatchObject({ success: true, queued: 5, unsent: 0 });
    expect(answer.items.map((item: { phone: string }) => item.phone)).toEqual([
      "+48500600700",
      "+48600700800",
      "+48700800900",
      "+48800900100",
      "+4915112345678",
    ]);
    expect(answer.items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{10}$/),
      phone: "+48500600700",
      status: "queued",
      queued: "2026-03-10 11:00:00",
      parts: 1,
      text: "Promo",
    });
    const ledger = gw.sandbox.ledger();
    expect(ledger).toHaveLength(5);
    expect(ledger[0]).toEqual({
      id: answer.items[0].id,
      phone: "+48500600700",
      title: "Promo",
      fileIds: [fileId],
      text: "Body",
      status: "queued",
      queuedAt: "2026-03-10 11:00:00",
      scheduledFor: null,
      sendCall: 1,
      requestId: expect.any(String),
    });
    expect(new Set(ledger.map((entry) => entry.requestId)).size).toBe(1);
    expect(new Set(ledger.map((entry) => entry.id)).size).toBe(5);

    await send({ phone: "500600700" });
    expect(gw.sandbox.ledger().at(-1)?.sendCall).toBe(2);
    expect(gw.sandbox.stats()).toMatchObject({ sendMmsCalls: 2, sendMmsTestCalls: 0 });
  });

  it("answers only the counts without details", async () => {
    expect(await send({ phone: "500600700,600700800" })).toEqual({ success: true, queued: 2, unsent: 0 });
  });

  it("reports invalid numbers as unsent 3103 items, as given, and stores only the valid ones", async () => {
    const answer = await send({ phone: ["45616", "500600700", "7799123", "+48 abc", "+1234567"], details: true });
    expect(answer).toMatchObject({ success: true, queued: 1, unsent: 4 });
    const unsent = answer.items.filter((item: { status: string }) => item.status === "unsent");
    expect(unsent.map((item: { phone: string }) => item.phone)).toEqual(["45616", "7799123", "+48 abc", "+1234567"]);
    expect(unsent[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{10}$/),
      phone: "45616",
      status: "unsent",
      queued: "2026-03-10 11:00:00",
      error_code: 3103,
      error_message: "Incorrect number",
      text: "Promo",
    });
    expect(gw.sandbox.ledger().map((entry) => entry.phone)).toEqual(["+48500600700"]);
  });

  it("sends a repeated number once per occurrence (the gateway does not dedupe)", async () => {
    const answer = await send({ phone: ["500600700", "+48500600700", "500-600-700"] });
    expect(answer.queued).toBe(3);
    expect(gw.sandbox.ledger()).toHaveLength(3);
  });

  it("counts the title in code points: 40 × ą passes, 39 letters + a flag (41) fails with 3102", async () => {
    expect((await send({ phone: "500600700", title: "ą".repeat(40) })).success).toBe(true);
    const tooLong = await send({ phone: "500600700", title: `${"a".repeat(39)}🇵🇱` });
    expect(tooLong.error).toMatchObject({ code: 3102, type: "SendError" });
    expect(tooLong.error.message).toMatch(/40 characters \(got 41\)/);
    expect(gw.sandbox.ledger()).toHaveLength(1);
  });

  it("takes up to 10 file ids (array or comma list) and refuses 11", async () => {
    const ids = [fileId];
    for (let i = 0; i < 9; i++) ids.push(await gw.uploadPng(`f${i}.png`));
    expect((await send({ phone: "500600700", file_id: ids })).success).toBe(true);
    expect((await send({ phone: "500600700", file_id: ids.join(",") })).success).toBe(true);
    expect(gw.sandbox.ledger()[0]?.fileIds).toEqual(ids);
    const eleven = await send({ phone: "500600700", file_id: [...ids, fileId] });
    expect(eleven.error.code).toBe(1006);
    expect(eleven.error.message).toMatch(/at most 10 files/);
  });

  it("refuses unknown or non-MMS file ids with 1004", async () => {
    const answer = await send({ phone: "500600700", file_id: [fileId, "abcdef0123"] });
    expect(answer.error).toMatchObject({ code: 1004, type: "InvalidID" });
    expect(answer.error.message).toMatch(/abcdef0123/);
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it.each([
    [{ phone: "500600700", title: undefined }, 2000],
    [{ phone: "500600700", file_id: undefined }, 2000],
    [{ phone: "500600700", file_id: [] }, 2000],
    [{ phone: undefined }, 2000],
    [{ phone: [] }, 2000],
    [{ phone: "500600700", title: "   " }, 3101],
    [{ phone: "500600700", date: "tomorrow" }, 1006],
    [{ phone: "500600700", date: "2026-03-29 02:30" }, 1006], // skipped hour when clocks go forward
    [{ phone: { a: 1 } }, 1006],
  ])("refuses %j with %i", async (body, code) => {
    const answer = await send(body);
    expect(answer.error.code).toBe(code);
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("test=true answers the same shape but stores nothing and uses no credit", async () => {
    const answer = await send({ phone: ["500600700", "123"], test: true, details: true });
    expect(answer).toMatchObject({ success: true, queued: 1, unsent: 1 });
    expect(answer.items).toHaveLength(2);
    expect(gw.sandbox.ledger()).toEqual([]);
    expect(gw.sandbox.stats()).toMatchObject({ sendMmsCalls: 0, sendMmsTestCalls: 1 });
    expect((await gw.call("account/limits")).items[3].value).toBe("1000");
    expect((await gw.call("messages/reports")).items).toEqual([]);
  });

  it("refuses the whole request with 3004 when the credit is short, and decrements it otherwise", async () => {
    await gw.admin("credit", { mms: 2 });
    const refused = await send({ phone: ["500600700", "600700800", "700800900"] });
    expect(refused.error).toEqual({ code: 3004, type: "SendError", message: expect.stringMatching(/^MMS limit exhausted/) });
    expect(gw.sandbox.ledger()).toEqual([]);
    // Invalid numbers use no credit.
    expect((await send({ phone: ["500600700", "600700800", "123"] })).queued).toBe(2);
    expect((await gw.call("account/limits")).items[3].value).toBe("0");
    expect((await send({ phone: "500600700", test: true })).error.code).toBe(3004);
    expect(gw.sandbox.stats().sendMmsCalls).toBe(1);
  });

  it("refuses more than 100 000 numbers and stores nothing", async () => {
    const phones = Array.from({ length: 100_001 }, (_, i) => `5${String(i).padStart(8, "0")}`);
    const answer = await send({ phone: phones });
    expect(answer.error.code).toBe(1006);
    expect(answer.error.message).toMatch(/100000/);
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("stores a future date as saved; deleting it refunds the credit; a past date sends at once", async () => {
    const scheduled = await send({ phone: ["500600700", "600700800"], date: "2026-03-10 12:30", details: true });
    expect(scheduled.queued).toBe(2);
    const entries = gw.sandbox.ledger();
    expect(entries.map((entry) => entry.status)).toEqual(["saved", "saved"]);
    expect(entries[0]?.scheduledFor).toBe("2026-03-10 12:30:00");
    expect((await gw.call("account/limits")).items[3].value).toBe("998");
    expect((await gw.call("messages/reports")).items.map((item: { status: string }) => item.status)).toEqual(["saved", "saved"]);

    const id = scheduled.items[0].id;
    expect(await gw.call("messages/delete", { id: [id, "0000000000"] })).toEqual({ success: true, correct: 1, failed: 1 });
    expect(await gw.call("messages/delete", { id })).toEqual({ success: false, correct: 0, failed: 1 });
    expect((await gw.call("account/limits")).items[3].value).toBe("999");
    expect(gw.sandbox.ledger()).toHaveLength(1);
    expect(gw.sandbox.ledger({ includeDeleted: true }).find((entry) => entry.id === id)?.status).toBe("deleted");
    expect((await gw.call("messages/view", { id })).error.code).toBe(1004);
    expect((await gw.admin("ledger", { includeDeleted: true })).items).toHaveLength(2);

    const past = await send({ phone: "700800900", date: "2026-03-10 10:59:30", details: true });
    expect(gw.sandbox.ledger().at(-1)).toMatchObject({ status: "queued", scheduledFor: "2026-03-10 10:59:30" });
    expect(await gw.call("messages/delete", { id: past.items[0].id })).toEqual({ success: false, correct: 0, failed: 1 });
    expect((await gw.call("messages/delete", {})).error.code).toBe(2000);
    expect(await gw.call("messages/delete", { unique_id: "abc123" })).toEqual({ success: false, correct: 0, failed: 1 });
  });
});
