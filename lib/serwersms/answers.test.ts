import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeGateway, startFakeGateway } from "@/tests/support/fake-gateway";
import { createGatewayClient, type UnreadableReport } from "./client";
import { GatewayError } from "./errors";

/**
 * Answers read item by item (issue 12, item 2): one odd item among good ones costs only that item,
 * harmless differences are coerced, words the app does not list are kept as they came, and what
 * could not be read comes back with the list plus one log line per answer. The odd answers come
 * from a fake gateway: the sandbox never gives them.
 */

let fake: FakeGateway;
let reports: UnreadableReport[];

function client() {
  reports = [];
  return createGatewayClient({
    baseUrl: fake.baseUrl,
    auth: { kind: "token", token: "answers-test-token" },
    timeoutMs: 5_000,
    retry: { attempts: 1 },
    onUnreadable: (report) => reports.push(report),
  });
}

beforeAll(async () => {
  fake = await startFakeGateway();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.calls.length = 0;
});

describe("files/index", () => {
  it("keeps the good files, coerces harmless differences and reports the one it cannot read", async () => {
    fake.answer("files/index", {
      items: [
        { id: "b67d70c22d", name: "plik1.jpg", size: 174562, type: "mms", date: "2014-10-07 16:54:53" },
        { name: "no-id.png", size: 10, type: "mms", date: "2014-10-07 16:54:53" },
        { id: 4711, name: "numeric-id.png", size: "2048", type: "mms", date: "2014-10-08 10:00:00" },
        { id: "39b0d42508", name: "no-size.gif", type: "mms", date: null },
        { id: "82aa9f108c", name: "bad-size.png", size: "big", type: "mms", date: "2014-10-09 10:00:00" },
      ],
    });
    const page = await client().files.index("mms");
    expect(page.items).toEqual([
      { id: "b67d70c22d", name: "plik1.jpg", size: 174562, type: "mms", uploadedAt: "2014-10-07 16:54:53" },
      { id: "4711", name: "numeric-id.png", size: 2048, type: "mms", uploadedAt: "2014-10-08 10:00:00" },
      { id: "39b0d42508", name: "no-size.gif", size: null, type: "mms", uploadedAt: null },
    ]);
    expect(page.unreadable).toEqual([
      { index: 1, field: "id", reason: expect.any(String) },
      { index: 4, field: "size", reason: expect.any(String) },
    ]);
    expect(reports).toEqual([{ action: "files/index", total: 5, unreadable: page.unreadable }]);
  });

  it("list() is the readable files of the same answer", async () => {
    fake.answer("files/index", { items: [{ id: "b67d70c22d", name: "a.png", size: 1, type: "mms", date: "2014-10-07 16:54:53" }, "not an object"] });
    expect((await client().files.list()).map((file) => file.id)).toEqual(["b67d70c22d"]);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.unreadable).toEqual([{ index: 1, field: "(item)", reason: expect.any(String) }]);
  });

  it("logs nothing when every item was read", async () => {
    fake.answer("files/index", { items: [{ id: "b67d70c22d", name: "a.png", size: 1, type: "mms", date: "2014-10-07 16:54:53" }] });
    expect((await client().files.index()).unreadable).toEqual([]);
    expect(reports).toEqual([]);
  });
});

describe("messages/reports", () => {
  it("keeps good reports, keeps a status and a reason it does not know as they came, and reports the unreadable one", async () => {
    fake.answer("messages/reports", {
      paging: { page: "1", count: "1" },
      items: [
        { id: "aca3944055", phone: "+48500600700", status: "delivered", queued: "2026-11-25 10:00:00", sent: "2026-11-25 10:00:02", delivered: "2026-11-25 10:00:06", reason: null, text: "Promo" },
        { id: "c7d505d346", phone: null, status: "delivered" },
        { id: 9_876_543_210, phone: 48500600701, status: "expired_on_operator", reason: "brand_new_reason" },
        { phone: "+48500600702", status: "sent" },
      ],
    });
    const page = await client().messages.reports({ ids: ["aca3944055", "c7d505d346", "9876543210"] });
    expect(page.reports.map((r) => [r.messageId, r.phone, r.status, r.reason])).toEqual([
      ["aca3944055", "+48500600700", "delivered", null],
      ["9876543210", "48500600701", "expired_on_operator", "brand_new_reason"],
    ]);
    expect(page.unreadable.map(({ index, field }) => [index, field])).toEqual([
      [1, "phone"],
      [3, "id"],
    ]);
    expect(page).toMatchObject({ page: 1, pageCount: 1 });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ action: "messages/reports", total: 4 });
  });
});

describe("messages/send_mms", () => {
  it("keeps each readable item with its place in the answer, an unknown status as it came, and reports the rest", async () => {
    fake.answer("messages/send_mms", {
      success: true,
      queued: "2",
      unsent: 1,
      items: [
        { id: "32039da8e9", phone: "+48500600700", status: "queued", queued: "2014-10-20 12:32:52", parts: "1" },
        { id: "844c2b4af0", phone: null, status: "queued" },
        { id: 6_037_378_560, phone: "+48500600500", status: "accepted_later", parts: 1 },
        { id: "6e373d7856", phone: "45616", status: "unsent", error_code: "3103", error_message: "Incorrect number" },
      ],
    });
    const result = await client().messages.sendMms({ phones: ["+48500600700", "+48500600600", "+48500600500", "45616"], title: "x", fileIds: ["b67d70c22d"] });
    expect(result).toMatchObject({ success: true, queued: 2, unsent: 1, itemCount: 4 });
    expect(result.recipients.map((r) => [r.index, r.messageId, r.phone, r.status, r.errorCode])).toEqual([
      [0, "32039da8e9", "+48500600700", "queued", null],
      [2, "6037378560", "+48500600500", "accepted_later", null],
      [3, "6e373d7856", "45616", "unsent", 3103],
    ]);
    expect(result.unreadable).toEqual([{ index: 1, field: "phone", reason: expect.any(String) }]);
    expect(reports).toHaveLength(1);
  });
});

describe("account/limits", () => {
  it("keeps the readable limits, keeps a value it does not know as it came, and reports the unreadable one", async () => {
    fake.answer("account/limits", {
      account: { type: "prepaid" },
      items: [
        { type: "eco", chars_limit: "918/6", value: "no_limit" },
        { chars_limit: "918/6", value: "40" },
        { type: "voice", chars_limit: "160/1", value: "ask_your_manager" },
        { type: "mms", chars_limit: "40/1", value: 6 },
      ],
    });
    const limits = await client().account.limits();
    expect(limits.items).toEqual([
      { type: "eco", charsLimit: "918/6", value: "no_limit" },
      { type: "voice", charsLimit: "160/1", value: "ask_your_manager" },
      { type: "mms", charsLimit: "40/1", value: 6 },
    ]);
    expect(limits.mms).toBe(6);
    expect(limits.unreadable).toEqual([{ index: 1, field: "type", reason: expect.any(String) }]);
    expect(reports).toHaveLength(1);
  });
});

describe("the one log line per answer", () => {
  it("names the action and the fields, never a phone number or the token", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      fake.answer("messages/send_mms", {
        success: true,
        items: [
          { id: "844c2b4af0", phone: { nested: "+48500600700" }, status: "queued" },
          { phone: "+48500600701", status: "queued", parts: "many" },
        ],
      });
      const logging = createGatewayClient({ baseUrl: fake.baseUrl, auth: { kind: "token", token: "answers-test-token" }, timeoutMs: 5_000 });
      await logging.messages.sendMms({ phones: ["+48500600700", "+48500600701"], title: "x", fileIds: ["b67d70c22d"] });
      expect(warn).toHaveBeenCalledTimes(1);
      const line = String(warn.mock.calls[0]![0]);
      expect(line).toMatch(/messages\/send_mms/);
      expect(line).toMatch(/2 of 2/);
      expect(line).toMatch(/phone/);
      expect(line).toMatch(/parts/);
      expect(line).not.toMatch(/500600/);
      expect(line).not.toContain("answers-test-token");
    } finally {
      warn.mockRestore();
    }
  });
});

describe("error codes the app does not know", () => {
  it("asks error/<code> once and carries the gateway's own description with the error", async () => {
    fake.answer("files/add", { error: { code: 4321, type: "FileError", message: "Plik odrzucony" } });
    fake.answer("error/4321", { error: { code: 4321, type: "FileError", message: "The file was rejected by the MMS converter" } });
    const c = client();
    const first = await c.files.addFromUrl({ url: "https://example.com/a.png" }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(GatewayError);
    expect(first).toMatchObject({ code: 4321, gatewayMessage: "Plik odrzucony", description: "The file was rejected by the MMS converter" });
    const second = await c.files.addFromUrl({ url: "https://example.com/b.png" }).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: 4321, description: "The file was rejected by the MMS converter" });
    expect(fake.calls.filter((call) => call.action === "error/4321")).toHaveLength(1);
  });

  it("does not ask about a code it knows", async () => {
    fake.answer("files/add", { error: { code: 3004, type: "SendError", message: "MMS limit exhausted" } });
    const error = await client().files.addFromUrl({ url: "https://example.com/a.png" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 3004, description: null });
    expect(fake.calls.map((call) => call.action)).toEqual(["files/add"]);
  });

  it("still throws the original refusal when error/<code> gives no description", async () => {
    fake.answer("files/add", { error: { code: 4999, type: "Whatever", message: "Nope" } });
    fake.answer("error/4999", { error: { code: 2002, type: "ValidationCodeError", message: "Invalid error code" } });
    const error = await client().files.addFromUrl({ url: "https://example.com/a.png" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 4999, gatewayMessage: "Nope", description: null });
  });
});
