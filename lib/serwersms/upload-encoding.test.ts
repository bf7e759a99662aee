import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appSettingsUploadEncodingMemory } from "@/lib/db/queries/settings";
import { tempAppDatabase } from "@/tests/support/app-db";
import { makeTempDir, PNG_BYTES, startTestSandbox, TEST_TOKEN, type TestSandbox } from "@/tests/support/sandbox";
import { createGatewayClient, type GatewayCallEvent, type GatewayClientOptions } from "./client";
import { GatewayError, GatewayNetworkError } from "./errors";
import { BASE64_SOURCE_CHUNK_BYTES } from "./upload";

/*
 * Disk uploads in both encodings (issue 12 item 1). No official client sends multipart, and PY/PHP
 * put base64 in `file` (API reference §9.4), so "auto" tries base64-in-JSON first and falls back to
 * multipart once when the gateway answers that `file` is missing or invalid, remembering per gateway
 * URL (app_settings) what worked.
 */

let gw: TestSandbox;
let app: ReturnType<typeof tempAppDatabase>;

beforeAll(async () => {
  gw = await startTestSandbox();
});
afterAll(async () => {
  await gw.dispose();
});
beforeEach(() => {
  gw.sandbox.reset();
  app = tempAppDatabase();
});
afterEach(() => app.dispose());

function client(overrides: Partial<GatewayClientOptions> = {}) {
  const uploads: GatewayCallEvent[] = [];
  const instance = createGatewayClient({
    baseUrl: gw.baseUrl,
    auth: { kind: "token", token: TEST_TOKEN },
    timeoutMs: 5_000,
    uploadEncodingMemory: appSettingsUploadEncodingMemory(app.db),
    onCall: (event) => {
      if (event.action === "files/add") uploads.push(event);
    },
    ...overrides,
  });
  return { instance, uploads };
}

const upload = (c: ReturnType<typeof client>, name = "promo.png") => c.instance.files.upload({ bytes: PNG_BYTES, name, contentType: "image/png" });
const remembered = () => appSettingsUploadEncodingMemory(app.db).recall(gw.baseUrl);
const storedBytes = async (id: string) => Buffer.from((await gw.admin("file", { id, type: "mms" })).data, "base64");

describe("SERWERSMS_UPLOAD_ENCODING=auto", () => {
  it("sends base64 in JSON first and, when the gateway takes it, stays with it", async () => {
    const c = client();
    const { id } = await upload(c);
    expect(c.uploads.map((event) => event.outcome)).toEqual(["ok"]);
    expect((await storedBytes(id)).equals(PNG_BYTES)).toBe(true);
    expect(remembered()).toBe("base64");
  });

  it("against a gateway that reads only multipart: falls back once, remembers it, and goes straight to it next time", async () => {
    await gw.admin("upload-encodings", { accept: "multipart" });
    const c = client();
    const { id } = await upload(c);
    expect(c.uploads.map((event) => event.outcome)).toEqual(["api", "ok"]);
    expect((await storedBytes(id)).equals(PNG_BYTES)).toBe(true);
    expect(remembered()).toBe("multipart");

    await upload(c, "second.png");
    expect(c.uploads.map((event) => event.outcome)).toEqual(["api", "ok", "ok"]);
    expect((await gw.call("files/index", { type: "mms" })).items).toHaveLength(2);
  });

  it("against a gateway that reads only base64: uses it the first time, no fallback", async () => {
    await gw.admin("upload-encodings", { accept: "base64" });
    const c = client();
    await upload(c);
    expect(c.uploads.map((event) => event.outcome)).toEqual(["ok"]);
    expect(remembered()).toBe("base64");
  });

  it("keeps what it learned across a restart: a new client on the same database goes straight to multipart", async () => {
    await gw.admin("upload-encodings", { accept: "multipart" });
    await upload(client());
    const afterRestart = client();
    await upload(afterRestart, "after-restart.png");
    expect(afterRestart.uploads.map((event) => event.outcome)).toEqual(["ok"]);
  });

  it("remembers per gateway URL: another gateway starts from base64 again", async () => {
    appSettingsUploadEncodingMemory(app.db).remember("http://other-gateway.example/", "multipart");
    const c = client();
    await upload(c);
    expect(c.uploads.map((event) => event.outcome)).toEqual(["ok"]);
    expect(remembered()).toBe("base64");
    expect(appSettingsUploadEncodingMemory(app.db).recall("http://other-gateway.example/")).toBe("multipart");
  });

  it("unlearns an encoding the gateway stopped reading: tries the other once and remembers that", async () => {
    await gw.admin("upload-encodings", { accept: "multipart" });
    const c = client();
    await upload(c);
    expect(remembered()).toBe("multipart");
    await gw.admin("upload-encodings", { accept: "base64" });
    await upload(c, "after-the-change.png");
    expect(c.uploads.map((event) => event.outcome)).toEqual(["api", "ok", "api", "ok"]);
    expect(remembered()).toBe("base64");
  });

  it("passes a refusal of the file itself on as the gateway worded it, and keeps what it learned", async () => {
    const c = client();
    await upload(c);
    const exe = new Uint8Array(Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"));
    const error = await c.instance.files.upload({ bytes: exe, name: "x.png", contentType: "image/png" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 1006, gatewayMessage: "File type not allowed: application/x-msdownload" });
    // 1006 may also mean "file not read", so the other encoding got its one try; nothing was stored.
    expect(c.uploads.map((event) => event.outcome)).toEqual(["ok", "api", "api"]);
    expect((await gw.call("files/index", { type: "mms" })).items).toHaveLength(1);
    expect(remembered()).toBe("base64");
  });

  it("reports the first refusal when the multipart retry is refused as missing too, and learns nothing", async () => {
    // A gateway that reads neither: both answers are 2000; what the user sees is the first one.
    await gw.admin("upload-encodings", { accept: "multipart" });
    gw.sandbox.setFaults({ rules: [{ action: "files/add", nth: [2], kind: "error", code: 2000 }] });
    const c = client();
    const error = await upload(c).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2000, gatewayMessage: "Missing required parameter: url or file" });
    expect(c.uploads.map((event) => event.outcome)).toEqual(["api", "api"]);
    expect(remembered()).toBeNull();
  });

  it("never falls back after a transport failure, when the first upload may have been stored", async () => {
    // The sandbox stores the file, then drops the connection: the client cannot know it worked.
    await gw.admin("upload-encodings", { accept: "both" });
    gw.sandbox.setFaults({ rules: [{ action: "files/add", kind: "resetAfterAccept" }] });
    const c = client();
    const error = await upload(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayNetworkError);
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect(c.uploads.map((event) => event.outcome)).toEqual(["network"]);
    // It was stored (after accept): a second upload in another encoding would have made a duplicate.
    expect((await gw.call("files/index", { type: "mms" })).items).toHaveLength(1);
    expect(remembered()).toBeNull();
  });
});

describe("an explicit SERWERSMS_UPLOAD_ENCODING never falls back and learns nothing", () => {
  it.each([
    ["base64", "multipart"],
    ["multipart", "base64"],
  ] as const)("%s against a gateway that reads only %s: the refusal is reported", async (setting, accepted) => {
    await gw.admin("upload-encodings", { accept: accepted });
    const c = client({ uploadEncoding: setting });
    const error = await upload(c).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2000 });
    expect(c.uploads.map((event) => event.outcome)).toEqual(["api"]);
    expect(remembered()).toBeNull();
  });

  it("ignores what auto learned before", async () => {
    await gw.admin("upload-encodings", { accept: "multipart" });
    await upload(client());
    await gw.admin("upload-encodings", { accept: "base64" });
    const c = client({ uploadEncoding: "base64" });
    await upload(c);
    expect(c.uploads.map((event) => event.outcome)).toEqual(["ok"]);
    expect(remembered()).toBe("multipart");
  });
});

describe("the base64 body is streamed from disk, never built whole (bench P7)", () => {
  it("hands fetch a ReadableStream (duplex half) whose chunks stay small while the file is read lazily", async () => {
    const dir = makeTempDir("mms-upload-stream-");
    try {
      const file = path.join(dir, "big.bin");
      const size = 20 * 1024 * 1024;
      fs.writeFileSync(file, randomBytes(size));
      const expectedSha = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
      const blob = await fs.openAsBlob(file);

      let seen: { length: string | null; largestChunk: number; total: number; sha: string; duplex: unknown } | null = null;
      const fakeGateway: typeof fetch = async (_url, init) => {
        const body = init?.body;
        if (!(body instanceof ReadableStream)) throw new Error("the upload body was not a stream");
        const reader = (body as ReadableStream<Uint8Array>).getReader();
        const chunks: Buffer[] = [];
        let largestChunk = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          largestChunk = Math.max(largestChunk, value.byteLength);
          chunks.push(Buffer.from(value));
        }
        const text = Buffer.concat(chunks).toString("utf8");
        const json = JSON.parse(text) as { file: string; type: string; name: string };
        seen = {
          length: new Headers(init?.headers).get("content-length"),
          largestChunk,
          total: Buffer.byteLength(text),
          sha: createHash("sha256").update(Buffer.from(json.file, "base64")).digest("hex"),
          duplex: (init as { duplex?: unknown }).duplex,
        };
        expect(json).toMatchObject({ type: "mms", name: "big.bin" });
        return new Response(JSON.stringify({ success: true, id: "0123456789" }), { headers: { "content-type": "application/json" } });
      };
      const c = client({ uploadEncoding: "base64", fetch: fakeGateway });
      expect(await c.instance.files.upload({ bytes: blob, name: "big.bin", contentType: "application/octet-stream" })).toEqual({ id: "0123456789" });
      expect(seen).toMatchObject({ duplex: "half", sha: expectedSha });
      // The announced length is exact, and no chunk is anywhere near the file's size: the body is
      // produced piece by piece (one source chunk as base64 at a time), not built in memory.
      expect(Number(seen!.length)).toBe(seen!.total);
      expect(seen!.total).toBeGreaterThan((size * 4) / 3);
      expect(seen!.largestChunk).toBeLessThanOrEqual(Math.ceil(BASE64_SOURCE_CHUNK_BYTES / 3) * 4 + 4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("arrives intact at the sandbox over real HTTP, with its Content-Length", async () => {
    const bytes = randomBytes(3 * BASE64_SOURCE_CHUNK_BYTES + 1);
    // A PNG signature in front, so the sandbox's content check takes it.
    PNG_BYTES.copy(bytes, 0);
    const c = client({ uploadEncoding: "base64" });
    const { id } = await c.instance.files.upload({ bytes: new Uint8Array(bytes), name: "big.png", contentType: "image/png" });
    expect((await storedBytes(id)).equals(bytes)).toBe(true);
  });
});
