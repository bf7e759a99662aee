import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PNG_BYTES, startTestSandbox, type TestSandbox } from "@/tests/support/sandbox";

/*
 * What the vendor documents for send_mms and the sandbox used to refuse (issue 12 item 6; API
 * reference §3.2, §9.1, §9.4 and the captured official-client requests): inline base64 `file`,
 * `group_id`, ISO dates with an offset, and `unsent` recipients that stay visible in reports.
 */

// 2026-03-10 11:00:00 in Warsaw (CET, UTC+1).
const START = Date.parse("2026-03-10T10:00:00Z");
let now = START;
let gw: TestSandbox;
let fileId: string;

beforeAll(async () => {
  gw = await startTestSandbox({ now: () => now, mmsLimit: 1000 });
});
afterAll(async () => {
  await gw.dispose();
});
beforeEach(async () => {
  now = START;
  gw.sandbox.reset();
  fileId = await gw.uploadPng();
});

const send = (body: Record<string, unknown>) => gw.call("messages/send_mms", { title: "Promo", details: true, ...body });
const files = async () => (await gw.call("files/index", { type: "mms" })).items as { id: string; name: string }[];

describe("send_mms with an inline base64 file (docblock: 'File in base64 encoding')", () => {
  it("creates the file, sends with it and lists it in the library", async () => {
    const answer = await send({ phone: "500600700", file: PNG_BYTES.toString("base64") });
    expect(answer).toMatchObject({ success: true, queued: 1, unsent: 0 });
    const [entry] = gw.sandbox.ledger();
    expect(entry?.fileIds).toHaveLength(1);
    const created = entry?.fileIds[0] ?? "";
    expect(created).not.toBe(fileId);
    expect((await files()).map((file) => file.id)).toContain(created);
    expect((await gw.admin("file", { id: created, type: "mms" })).data).toBe(PNG_BYTES.toString("base64"));
  });

  it("takes a list of inline files beside file_id, up to 10 files in all", async () => {
    const png = PNG_BYTES.toString("base64");
    await send({ phone: "500600700", file_id: fileId, file: [png, png] });
    expect(gw.sandbox.ledger()[0]?.fileIds).toHaveLength(3);
    expect(gw.sandbox.ledger()[0]?.fileIds[0]).toBe(fileId);
    const tooMany = await send({ phone: "500600700", file_id: Array(9).fill(fileId), file: [png, png] });
    expect(tooMany.error).toMatchObject({ code: 1006, message: expect.stringMatching(/at most 10 files/) });
  });

  it("in test mode checks the file but stores nothing", async () => {
    const answer = await send({ phone: "500600700", file: PNG_BYTES.toString("base64"), test: true });
    expect(answer).toMatchObject({ success: true, queued: 1 });
    expect(await files()).toHaveLength(1);
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("refuses a file it would refuse in files/add, and keeps nothing of a refused send", async () => {
    const exe = Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff").toString("base64");
    expect((await send({ phone: "500600700", file: exe })).error).toMatchObject({ code: 1006, message: expect.stringMatching(/^File type not allowed/) });
    expect((await send({ phone: "500600700", file: "@@not base64@@" })).error.code).toBe(1006);
    await gw.admin("credit", { mms: 0 });
    expect((await send({ phone: "500600700", file: PNG_BYTES.toString("base64") })).error.code).toBe(3004);
    expect(await files()).toHaveLength(1);
  });

  it("still needs a file of some kind", async () => {
    expect((await send({ phone: "500600700" })).error).toMatchObject({ code: 2000, message: expect.stringMatching(/file_id or file/) });
  });
});

describe("send_mms with group_id (contact groups are not modelled yet)", () => {
  it("answers a clear documented error instead of ignoring it, and sends nothing", async () => {
    const answer = await send({ group_id: [12, 13], file_id: fileId });
    expect(answer.error).toEqual({ code: 1004, type: "InvalidID", message: "Unknown contact group: 12, 13 (the sandbox has no contact groups)" });
    expect((await send({ group_id: "7", phone: "500600700", file_id: fileId })).error.code).toBe(1004);
    expect(gw.sandbox.ledger()).toEqual([]);
  });
});

describe("send_mms date as ISO 8601 with an offset", () => {
  it("converts it to Warsaw time", async () => {
    // 12:30 UTC is 13:30 in Warsaw in March (CET).
    await send({ phone: "500600700", file_id: fileId, date: "2026-03-10T12:30:00Z" });
    await send({ phone: "500600700", file_id: fileId, date: "2026-03-10T14:30:00+01:00" });
    await send({ phone: "500600700", file_id: fileId, date: "2026-07-01T09:00+02:00" });
    expect(gw.sandbox.ledger().map((entry) => [entry.status, entry.scheduledFor])).toEqual([
      ["saved", "2026-03-10 13:30:00"],
      ["saved", "2026-03-10 14:30:00"],
      ["saved", "2026-07-01 09:00:00"],
    ]);
  });

  it("still refuses what is not a date", async () => {
    for (const date of ["2026-03-10T12:30:00+25:00", "tomorrow", "2026-02-30 10:00"]) {
      expect((await send({ phone: "500600700", file_id: fileId, date })).error.code).toBe(1006);
    }
  });
});

describe("unsent recipients (3103) are kept", () => {
  it("appear in messages/reports and messages/view with status unsent, use no credit and stay out of the ledger", async () => {
    const answer = await send({ phone: ["500600700", "12345"], file_id: fileId });
    const unsent = answer.items.find((item: { status: string }) => item.status === "unsent");
    expect(unsent).toMatchObject({ phone: "12345", error_code: 3103 });

    const reports = await gw.call("messages/reports", {});
    expect(reports.items.map((item: { phone: string; status: string }) => [item.phone, item.status])).toEqual([
      ["+48500600700", "in_progress"],
      ["12345", "unsent"],
    ]);
    const view = await gw.call("messages/view", { id: unsent.id });
    expect(view).toMatchObject({ id: unsent.id, phone: "12345", status: "unsent", sent: null, delivered: null, cost: 0 });
    expect((await gw.call("messages/reports", { status: "unsent" })).items).toHaveLength(1);
    expect((await gw.call("messages/reports", { id: unsent.id })).items).toHaveLength(1);

    // The clock moves on; an unsent message never becomes sent or delivered.
    await gw.admin("clock", { advanceMs: 60_000 });
    expect((await gw.call("messages/view", { id: unsent.id })).status).toBe("unsent");
    expect(gw.sandbox.ledger().map((entry) => entry.phone)).toEqual(["+48500600700"]);
    expect((await gw.call("account/limits")).items[3].value).toBe("999");
    // Cancelling it is refused like any message that is not scheduled.
    expect(await gw.call("messages/delete", { id: unsent.id })).toEqual({ success: false, correct: 0, failed: 1 });
  });

  it("are kept for scheduled sends too, and not for test sends", async () => {
    await send({ phone: ["12345"], file_id: fileId, date: "2026-03-10 12:30" });
    expect((await gw.call("messages/reports", {})).items.map((item: { status: string }) => item.status)).toEqual(["unsent"]);
    await send({ phone: ["12346"], file_id: fileId, test: true });
    expect((await gw.call("messages/reports", {})).items).toHaveLength(1);
  });
});

describe("small documented actions of the official tests (reference §6)", () => {
  it("answers account/messages, senders/index and phones/test with their documented shapes", async () => {
    expect(await gw.call("account/messages")).toEqual({ items: [] });
    expect(await gw.call("senders/index", { predefined: true })).toEqual({ items: [] });
    expect(await gw.call("phones/test", { phone: "500600700" })).toEqual({ correct: true });
    expect(await gw.call("phones/test", { phone: "12345" })).toEqual({ correct: false });
    expect((await gw.call("phones/test", {})).error.code).toBe(2000);
  });
});
