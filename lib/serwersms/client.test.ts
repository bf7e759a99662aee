import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestSandbox, TEST_PASSWORD, TEST_TOKEN, TEST_USERNAME } from "@/tests/support/sandbox";
import { createGatewayClient, type GatewayCallEvent, type GatewayClientOptions } from "./client";
import {
  GatewayError,
  GatewayHttpError,
  GatewayMalformedResponseError,
  GatewayNetworkError,
  GatewayTimeoutError,
} from "./errors";

let gateway: Awaited<ReturnType<typeof startTestSandbox>>;
let png: Buffer;
let fileServer: http.Server;
let fileServerUrl: string;

beforeAll(async () => {
  png = await sharp({ create: { width: 32, height: 24, channels: 3, background: "#4338ca" } }).png().toBuffer();
  gateway = await startTestSandbox({ urlAllowlist: ["127.0.0.1"] });
  fileServer = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "image/png" });
    res.end(png);
  });
  await new Promise<void>((resolve) => fileServer.listen(0, "127.0.0.1", resolve));
  fileServerUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}/promo.png`;
});

afterAll(async () => {
  await gateway.dispose();
  await new Promise((resolve) => fileServer.close(resolve));
});

beforeEach(() => gateway.sandbox.reset());

function client(overrides: Partial<GatewayClientOptions> = {}) {
  const events: GatewayCallEvent[] = [];
  const sleeps: number[] = [];
  const instance = createGatewayClient({
    baseUrl: gateway.baseUrl,
    auth: { kind: "token", token: TEST_TOKEN },
    timeoutMs: 5_000,
    onCall: (event) => events.push(event),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { instance, events, sleeps };
}

/** The start of a real PE file: "MZ", the DOS stub, and the PE header the stub points at. */
function windowsExecutable(): Uint8Array {
  const bytes = new Uint8Array(512);
  bytes.set([0x4d, 0x5a], 0);
  bytes.set([0x80, 0x00, 0x00, 0x00], 0x3c);
  bytes.set([0x50, 0x45, 0x00, 0x00, 0x4c, 0x01], 0x80);
  return bytes;
}

async function uploadPng(c = client().instance) {
  return c.files.upload({ bytes: png, name: "promo.png", contentType: "image/png" });
}

describe("gateway client against the sandbox over HTTP", () => {
  describe("authentication", () => {
    it("works with a Bearer token", async () => {
      expect(await client().instance.files.list()).toEqual([]);
    });

    it("works with username/password in the body", async () => {
      const { instance } = client({
        auth: { kind: "credentials", username: TEST_USERNAME, password: TEST_PASSWORD },
      });
      expect((await instance.account.limits()).items.length).toBeGreaterThan(0);
    });

    it.each([
      ["a wrong token", { kind: "token" as const, token: "wrong-token-value" }],
      ["a wrong password", { kind: "credentials" as const, username: TEST_USERNAME, password: "wrong-password-value" }],
    ])("raises GatewayError 1001 for %s, without echoing the secret", async (_label, auth) => {
      const error = await client({ auth }).instance.files.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: 1001, type: "InvalidUser", outcomeUnknown: false });
      const secret = auth.kind === "token" ? auth.token : auth.password;
      expect((error as Error).message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
    });
  });

  describe("files", () => {
    it("uploads from disk as multipart, then lists, views and deletes; the sandbox stored the same bytes", async () => {
      const c = client({ uploadEncoding: "multipart" }).instance;
      const { id } = await uploadPng(c);
      expect(id).toMatch(/^[0-9a-f]{10}$/);

      const list = await c.files.list("mms");
      expect(list).toEqual([expect.objectContaining({ id, name: "promo.png", size: png.length, type: "mms" })]);
      expect(list[0]?.uploadedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

      expect(await c.files.view(id)).toMatchObject({ id, name: "promo.png" });
      // Read back through the sandbox's test API: the gateway client has no download (the real gateway cannot).
      expect("download" in c.files).toBe(false);
      const stored = await gateway.admin("file", { id, type: "mms" });
      expect(stored.content_type).toBe("image/png");
      expect(Buffer.from(stored.data, "base64").equals(png)).toBe(true);

      expect(await c.files.remove(id)).toBe(true);
      expect(await c.files.list()).toEqual([]);
      await expect(c.files.view(id)).rejects.toMatchObject({ code: 1004 });
    });

    it("adds a file by URL (the gateway fetches it)", async () => {
      const c = client().instance;
      const { id } = await c.files.addFromUrl({ url: fileServerUrl });
      expect(await c.files.view(id)).toMatchObject({ id, name: "promo.png", size: png.length });
    });

    it("maps a refused upload to a GatewayError with the gateway's reason", async () => {
      const error = await client()
        .instance.files.upload({ bytes: windowsExecutable(), name: "offer.exe", contentType: "application/octet-stream" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe(1006);
    });
  });

  describe("messages", () => {
    it("sends an MMS with per-recipient results, including unsent numbers", async () => {
      const c = client().instance;
      const { id: fileId } = await uploadPng(c);
      const result = await c.messages.sendMms({ phones: ["+48500600700", "45616"], title: "Promo", fileIds: [fileId] });
      expect(result).toMatchObject({ success: true, queued: 1, unsent: 1 });
      expect(result.recipients).toEqual([
        expect.objectContaining({ phone: "+48500600700", status: "queued", errorCode: null, messageId: expect.stringMatching(/^[0-9a-f]{10}$/) }),
        expect.objectContaining({ phone: "45616", status: "unsent", errorCode: 3103, errorMessage: "Incorrect number" }),
      ]);
      expect(gateway.sandbox.ledger().map((entry) => entry.phone)).toEqual(["+48500600700"]);
    });

    it("test mode answers the same way and stores nothing", async () => {
      const c = client().instance;
      const { id: fileId } = await uploadPng(c);
      const result = await c.messages.sendMms({ phones: ["+48500600700"], title: "Promo", fileIds: [fileId], test: true });
      expect(result).toMatchObject({ success: true, queued: 1, unsent: 0 });
      expect(gateway.sandbox.ledger()).toEqual([]);
    });

    it("schedules, reports the message as saved, and cancels it", async () => {
      const c = client().instance;
      const { id: fileId } = await uploadPng(c);
      const sent = await c.messages.sendMms({ phones: ["+48500600700"], title: "Later", fileIds: [fileId], date: "2099-01-02 10:00" });
      const messageId = sent.recipients[0]!.messageId!;
      expect((await c.messages.view(messageId)).status).toBe("saved");
      const page = await c.messages.reports({ ids: [messageId] });
      expect(page.reports).toEqual([expect.objectContaining({ messageId, status: "saved", phone: "+48500600700" })]);
      expect(await c.messages.remove([messageId])).toEqual({ success: true, deleted: 1, failed: 0 });
      expect(gateway.sandbox.ledger()).toEqual([]);
    });

    it("refuses more than 500 report ids before calling the gateway", async () => {
      const ids = Array.from({ length: 501 }, (_, i) => i.toString(16).padStart(10, "0"));
      await expect(client().instance.messages.reports({ ids })).rejects.toThrow(RangeError);
    });
  });

  it("reads account limits with the MMS credit", async () => {
    const limits = await client().instance.account.limits();
    expect(typeof limits.mms).toBe("number");
    expect(limits.items.find((item) => item.type === "mms")?.charsLimit).toBe("40/1");
  });

  describe("failures and retries", () => {
    it("retries a read after HTTP 500 and succeeds", async () => {
      gateway.sandbox.setFaults({ rules: [{ action: "files/index", nth: [1], kind: "http500" }] });
      const { instance, events } = client();
      expect(await instance.files.list()).toEqual([]);
      expect(events.map((e) => e.outcome)).toEqual(["http", "ok"]);
    });

    it("honours Retry-After on 429", async () => {
      gateway.sandbox.setFaults({ rules: [{ action: "account/limits", nth: [1], kind: "http429", retryAfterSeconds: 2 }] });
      const { instance, sleeps } = client();
      await instance.account.limits();
      expect(sleeps).toEqual([2000]);
    });

    it("gives up after the configured attempts with GatewayHttpError", async () => {
      gateway.sandbox.setFaults({ rules: [{ action: "files/index", kind: "http500" }] });
      const { instance, events, sleeps } = client({ retry: { attempts: 3 } });
      const error = await instance.files.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayHttpError);
      expect((error as GatewayHttpError).status).toBe(500);
      expect(events).toHaveLength(3);
      // full jitter with random()=0.5: half of 300 ms, then half of 600 ms
      expect(sleeps).toEqual([150, 300]);
    });

    it("never retries a send, even after HTTP 500", async () => {
      const c = client();
      const { id: fileId } = await uploadPng(c.instance);
      gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", kind: "http500" }] });
      const error = await c.instance.messages.sendMms({ phones: ["+48500600700"], title: "x", fileIds: [fileId] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayHttpError);
      expect((error as GatewayHttpError).outcomeUnknown).toBe(false);
      expect(c.events.filter((e) => e.action === "messages/send_mms")).toHaveLength(1);
      expect(gateway.sandbox.ledger()).toEqual([]);
    });

    it("reports a timeout after the gateway accepted a send as outcome unknown", async () => {
      const c = client({ timeoutMs: 1_000 });
      const { id: fileId } = await uploadPng(c.instance);
      gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", kind: "timeoutAfterAccept" }] });
      const error = await c.instance.messages.sendMms({ phones: ["+48500600700"], title: "x", fileIds: [fileId] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayTimeoutError);
      expect((error as GatewayTimeoutError).outcomeUnknown).toBe(true);
      expect(gateway.sandbox.ledger()).toHaveLength(1);
    });

    it("reports a dropped connection as GatewayNetworkError with outcome unknown", async () => {
      const c = client();
      const { id: fileId } = await uploadPng(c.instance);
      gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", kind: "reset" }] });
      const error = await c.instance.messages.sendMms({ phones: ["+48500600700"], title: "x", fileIds: [fileId] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayNetworkError);
      expect((error as GatewayNetworkError).outcomeUnknown).toBe(true);
    });

    it("reports a refused connection as GatewayNetworkError with nothing sent", async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const error = await client({ baseUrl: `http://127.0.0.1:${port}/` })
        .instance.messages.sendMms({ phones: ["+48500600700"], title: "x", fileIds: ["0123456789"] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayNetworkError);
      expect(error).toMatchObject({ code: "ECONNREFUSED", outcomeUnknown: false });
    });

    it("reports a non-JSON answer as GatewayMalformedResponseError", async () => {
      gateway.sandbox.setFaults({ rules: [{ action: "account/limits", kind: "garbage" }] });
      const error = await client({ retry: { attempts: 1 } }).instance.account.limits().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayMalformedResponseError);
      expect((error as Error).message).toContain("not JSON");
    });

    it("reports JSON of the wrong shape as GatewayMalformedResponseError naming the field", async () => {
      const fakeFetch: typeof fetch = async () => Response.json({ items: "not a list" });
      const error = await client({ fetch: fakeFetch }).instance.files.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayMalformedResponseError);
      expect((error as Error).message).toMatch(/field items:/);
    });

    it("reports an item of the wrong shape as unreadable, naming the field, instead of failing the list", async () => {
      const fakeFetch: typeof fetch = async () => Response.json({ items: [{ id: "x", size: "big" }] });
      const page = await client({ fetch: fakeFetch, onUnreadable: () => undefined }).instance.files.index();
      expect(page).toEqual({ items: [], unreadable: [{ index: 0, field: "size", reason: expect.any(String) }] });
    });

    it("treats the error envelope as GatewayError at any HTTP status", async () => {
      const fakeFetch: typeof fetch = async () =>
        Response.json({ error: { code: 3004, type: "SendError", message: "MMS limit exhausted" } }, { status: 400 });
      const error = await client({ fetch: fakeFetch }).instance.account.limits().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: 3004, type: "SendError", httpStatus: 400 });
    });

    it("answers an injected gateway error code with its documented type", async () => {
      gateway.sandbox.setFaults({ rules: [{ action: "messages/send_mms", kind: "error", code: 3004 }] });
      const error = await client().instance.messages.sendMms({ phones: ["+48500600700"], title: "x", fileIds: ["0123456789"] }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 3004, type: "SendError" });
    });
  });
});

describe("error identity across bundles", () => {
  it("recognises an error created by another copy of the error classes", async () => {
    // Next gives each bundle its own module copy; simulate one by importing a fresh instance.
    const { vi } = await import("vitest");
    vi.resetModules();
    const otherCopy = await import("./errors");
    const foreign = new otherCopy.GatewayError("files/index", 1001, "InvalidUser", "Incorrect login or password");
    expect(otherCopy.GatewayError).not.toBe(GatewayError);
    expect(foreign).toBeInstanceOf(GatewayError);
    expect(foreign instanceof GatewayHttpError).toBe(false);
    expect(new otherCopy.GatewayTimeoutError("x", 1000)).toBeInstanceOf(GatewayTimeoutError);
  });
});

describe("messages/delete answers (reference §9.4: docblocks promise only `success`)", () => {
  const answering = (body: unknown) => client({ fetch: (async () => Response.json(body)) as typeof fetch }).instance;

  it("keeps missing correct/failed counts as unknown (null), never as 0", async () => {
    expect(await answering({ success: true }).messages.remove(["0123456789"])).toEqual({ success: true, deleted: null, failed: null });
    expect(await answering({ success: false }).messages.remove(["0123456789"])).toEqual({ success: false, deleted: null, failed: null });
  });

  it("reads counts sent as strings, as the PHP gateway sometimes does", async () => {
    expect(await answering({ success: true, correct: "2", failed: "1" }).messages.remove(["a", "b", "c"])).toEqual({ success: true, deleted: 2, failed: 1 });
  });
});
