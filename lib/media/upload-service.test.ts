import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type AppDatabase, openAppDatabase } from "@/lib/db";
import { mediaRowsById } from "@/lib/db/queries/media";
import { uploadLeaseStore } from "@/lib/db/queries/upload-leases";
import type { Role } from "@/lib/auth/roles";
import { createGatewayClient, type GatewayClient } from "@/lib/serwersms/client";
import { tempAppDatabase } from "@/tests/support/app-db";
import { makeTempDir, startFileServer, startTestSandbox, TEST_TOKEN } from "@/tests/support/sandbox";
import { createMediaService } from "./upload-service";
import { createKeyedLocks, createUploadSessions, type KeyedLocks } from "./upload-sessions";

const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "media");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let gateway: Awaited<ReturnType<typeof startTestSandbox>>;
let client: GatewayClient;
let app: ReturnType<typeof tempAppDatabase>;
let dir: string;

function ctx(id = 1, role: Role = "sender") {
  return { user: { id, email: `user${id}@example.com`, name: `User ${id}`, role }, audit: vi.fn() };
}

function service(
  overrides: { gateway?: Pick<GatewayClient, "files">; db?: AppDatabase; locks?: KeyedLocks; reclaim?: { collect: () => void; everyBytes: number } } = {},
) {
  return createMediaService({
    db: overrides.db ?? app.db,
    gateway: overrides.gateway ?? client,
    // 1 KB chunks so the small fixtures still travel in several pieces.
    sessions: createUploadSessions({ dir: path.join(dir, "uploads"), chunkSize: 1024, locks: overrides.locks }),
    mediaDir: path.join(dir, "media"),
    reclaim: overrides.reclaim,
  });
}

type Service = ReturnType<typeof service>;

/** What the browser does: begin (with or without a hash), every chunk in order, finish. */
async function upload(svc: Service, actor: ReturnType<typeof ctx>, name: string, bytes: Buffer, options: { hash?: boolean } = {}) {
  const begun = await svc.beginUpload({ name, size: bytes.byteLength, sha256: options.hash === false ? null : sha256(bytes) }, actor);
  if (!begun.ok || begun.outcome === "reused") return begun;
  for (let index = 0, offset = 0; offset < bytes.byteLength; index++, offset += begun.chunkSize) {
    const chunk = new Blob([Uint8Array.from(bytes.subarray(offset, offset + begun.chunkSize))]);
    const stored = await svc.uploadChunk({ uploadId: begun.uploadId, index, chunk }, actor);
    if (!stored.ok) return stored;
  }
  return svc.finishUpload({ uploadId: begun.uploadId }, actor);
}

async function gatewayIds(): Promise<string[]> {
  return (await client.files.list("mms")).map((file) => file.id);
}

beforeAll(async () => {
  gateway = await startTestSandbox({ urlAllowlist: ["127.0.0.1"] });
  client = createGatewayClient({ baseUrl: gateway.baseUrl, auth: { kind: "token", token: TEST_TOKEN }, timeoutMs: 10_000 });
});
afterAll(async () => {
  await gateway.dispose();
});
beforeEach(() => {
  gateway.sandbox.reset();
  app?.dispose();
  app = tempAppDatabase();
  dir = makeTempDir("mms-media-service-");
});

describe("chunked upload to the gateway", () => {
  it("sends a multi-chunk JPEG once, keeps an identical copy and a WebP thumbnail, and audits it", async () => {
    const svc = service();
    const actor = ctx();
    const bytes = fixture("photo.jpg");
    const result = await upload(svc, actor, "photo.jpg", bytes);
    expect(result).toMatchObject({ ok: true, outcome: "uploaded", message: "Uploaded photo.jpg." });
    if (!result.ok || result.outcome !== "uploaded") throw new Error("expected an upload");
    const { item } = result;
    expect(item).toMatchObject({ name: "photo.jpg", size: bytes.byteLength, contentType: "image/jpeg", kind: "image", hasCopy: true, preview: "image" });
    expect(item.thumbnailUrl).toBe(`/api/media/${item.id}/thumbnail`);
    expect(item.uploadedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    expect(await gatewayIds()).toEqual([item.id]);
    expect(fs.readFileSync(path.join(dir, "media", item.id)).equals(bytes)).toBe(true);
    const thumb = await sharp(fs.readFileSync(path.join(dir, "media", `${item.id}.thumb.webp`))).metadata();
    expect(thumb.format).toBe("webp");
    expect(Math.max(thumb.width ?? 0, thumb.height ?? 0)).toBeLessThanOrEqual(320);

    const row = mediaRowsById(app.db, [item.id]).get(item.id);
    expect(row).toMatchObject({ sha256: sha256(bytes), source: "upload", uploadedBy: 1, hasBytes: true, hasThumbnail: true });
    expect(actor.audit).toHaveBeenCalledWith("upload", item.id, { bytes: bytes.byteLength });
    expect(fs.readdirSync(path.join(dir, "uploads"))).toEqual([]);
  });

  it("keeps the first lines of a text file for its preview", async () => {
    const result = await upload(service(), ctx(), "notes.txt", fixture("notes.txt"));
    expect(result).toMatchObject({ ok: true, outcome: "uploaded", item: { preview: "text", kind: "text" } });
    if (result.ok) expect(result.item.textSnippet).toContain("Promocja");
  });

  it("refuses a PDF named .jpg with its reason, sends nothing and leaves no temp file", async () => {
    const result = await upload(service(), ctx(), "offer.jpg", fixture("offer.jpg"));
    expect(result).toEqual({
      ok: false,
      code: "invalid",
      message: '"offer.jpg" is a PDF document, not a JPEG image: rename it to .pdf or upload the real image.',
      fieldErrors: {},
    });
    expect(await gatewayIds()).toEqual([]);
    expect(fs.readdirSync(path.join(dir, "uploads"))).toEqual([]);
  });

  it("refuses empty and oversized files at begin, before any byte is sent", async () => {
    const svc = service();
    const empty = await svc.beginUpload({ name: "empty.txt", size: 0, sha256: null }, ctx());
    expect(empty).toMatchObject({ ok: false, code: "invalid", message: '"empty.txt" is empty (0 bytes). Check the file on your computer and upload it again.' });
    const huge = await svc.beginUpload({ name: "film.mp4", size: 21 * 1024 * 1024, sha256: null }, ctx());
    expect(huge).toMatchObject({ ok: false, code: "invalid" });
    if (!huge.ok) expect(huge.message).toContain("at most 20 MB");
    expect(fs.existsSync(path.join(dir, "uploads"))).toBe(false);
  });

  it("refuses bytes that do not match the announced checksum", async () => {
    const svc = service();
    const bytes = fixture("banner.png");
    const begun = await svc.beginUpload({ name: "banner.png", size: bytes.byteLength, sha256: "0".repeat(64) }, ctx());
    if (!begun.ok || begun.outcome !== "upload") throw new Error("expected an open upload");
    await svc.uploadChunk({ uploadId: begun.uploadId, index: 0, chunk: new Blob([Uint8Array.from(bytes.subarray(0, 1024))]) }, ctx());
    await svc.uploadChunk({ uploadId: begun.uploadId, index: 1, chunk: new Blob([Uint8Array.from(bytes.subarray(1024))]) }, ctx());
    const finished = await svc.finishUpload({ uploadId: begun.uploadId }, ctx());
    expect(finished).toMatchObject({ ok: false, code: "invalid" });
    if (!finished.ok) expect(finished.message).toContain("checksum does not match");
    expect(await gatewayIds()).toEqual([]);
  });

  it("lets nobody but the uploader send chunks to or finish an upload", async () => {
    const svc = service();
    const bytes = fixture("banner.png");
    const begun = await svc.beginUpload({ name: "banner.png", size: bytes.byteLength, sha256: null }, ctx(1));
    if (!begun.ok || begun.outcome !== "upload") throw new Error("expected an open upload");
    const chunk = await svc.uploadChunk({ uploadId: begun.uploadId, index: 0, chunk: new Blob([Uint8Array.from(bytes.subarray(0, 1024))]) }, ctx(2));
    expect(chunk).toMatchObject({ ok: false, code: "forbidden" });
    expect(await svc.finishUpload({ uploadId: begun.uploadId }, ctx(2))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await svc.cancelUpload({ uploadId: begun.uploadId }, ctx(1))).toEqual({ ok: true, cancelled: true });
  });

  it("has the memory of the chunks written freed every few chunks and after the last one (bench P7)", async () => {
    // Reading a chunk's Blob leaves a native reader that holds the chunk's bytes until V8's next full
    // collection (lib/media/reclaim.ts), which nothing else asks for while an upload runs.
    const collect = vi.fn();
    const svc = service({ reclaim: { collect, everyBytes: 3 * 1024 } });
    const bytes = Buffer.from("plain text, long enough for several chunks\n".repeat(170));
    expect(bytes.byteLength).toBeGreaterThan(7 * 1024);
    expect(bytes.byteLength).toBeLessThan(8 * 1024);
    const begun = await svc.beginUpload({ name: "notes.txt", size: bytes.byteLength, sha256: sha256(bytes) }, ctx());
    if (!begun.ok || begun.outcome !== "upload") throw new Error("expected an open upload");
    const after: number[] = [];
    for (let index = 0, offset = 0; offset < bytes.byteLength; index++, offset += begun.chunkSize) {
      const chunk = new Blob([Uint8Array.from(bytes.subarray(offset, offset + begun.chunkSize))]);
      expect(await svc.uploadChunk({ uploadId: begun.uploadId, index, chunk }, ctx())).toMatchObject({ ok: true });
      after.push(collect.mock.calls.length);
    }
    // 8 chunks: a collection once 3 KiB and 6 KiB have been written, and after the last chunk.
    expect(after).toEqual([0, 0, 1, 1, 1, 2, 2, 3]);
    expect(await svc.finishUpload({ uploadId: begun.uploadId }, ctx())).toMatchObject({ ok: true, outcome: "uploaded" });
  });

  it("refuses a chunk larger than the chunk size before reading it", async () => {
    const svc = service();
    const begun = await svc.beginUpload({ name: "a.txt", size: 3000, sha256: null }, ctx());
    if (!begun.ok || begun.outcome !== "upload") throw new Error("expected an open upload");
    const result = await svc.uploadChunk({ uploadId: begun.uploadId, index: 0, chunk: new Blob([new Uint8Array(2000)]) }, ctx());
    expect(result).toMatchObject({ ok: false, code: "invalid", message: "A chunk may be at most 1024 bytes; this one has 2000." });
  });
});

describe("upload encodings (issue 12 item 1)", () => {
  it("sends the assembled file in the encoding the gateway reads, learning it on the first upload", async () => {
    await gateway.admin("upload-encodings", { accept: "multipart" });
    const result = await upload(service(), ctx(), "photo.jpg", fixture("photo.jpg"));
    expect(result).toMatchObject({ ok: true, outcome: "uploaded" });
    if (!result.ok) throw new Error("upload failed");
    expect(Buffer.from((await gateway.admin("file", { id: result.item.id, type: "mms" })).data, "base64").equals(fixture("photo.jpg"))).toBe(true);
  });

  it("explains, without losing the upload's state, a gateway that does not read the configured encoding", async () => {
    await gateway.admin("upload-encodings", { accept: "multipart" });
    const base64Only = createGatewayClient({ baseUrl: gateway.baseUrl, auth: { kind: "token", token: TEST_TOKEN }, timeoutMs: 10_000, uploadEncoding: "base64" });
    const result = await upload(service({ gateway: base64Only }), ctx(), "banner.png", fixture("banner.png"));
    expect(result).toEqual({
      ok: false,
      code: "invalid",
      message: 'The gateway refused "banner.png": Missing required parameter: url or file',
      fieldErrors: {},
    });
    expect(await gatewayIds()).toEqual([]);
  });
});

describe("reuse of identical content", () => {
  it("reuses a file already in the library at begin: nothing is uploaded and it is audited as reused", async () => {
    const svc = service();
    const bytes = fixture("banner.png");
    const first = await upload(svc, ctx(), "banner.png", bytes);
    if (!first.ok) throw new Error("first upload failed");
    const actor = ctx(2);
    const again = await upload(svc, actor, "copy of banner.png", bytes);
    expect(again).toMatchObject({
      ok: true,
      outcome: "reused",
      item: { id: first.item.id, name: "banner.png" },
      message: "Already in the library as banner.png: reused, not uploaded again.",
    });
    expect(actor.audit).toHaveBeenCalledWith("upload_reused", first.item.id, { bytes: bytes.byteLength });
    expect(await gatewayIds()).toEqual([first.item.id]);
  });

  it("reuses at finish when the browser could not hash (no crypto.subtle)", async () => {
    const svc = service();
    const bytes = fixture("banner.png");
    const first = await upload(svc, ctx(), "banner.png", bytes);
    const again = await upload(svc, ctx(), "banner.png", bytes, { hash: false });
    expect(again).toMatchObject({ ok: true, outcome: "reused" });
    if (first.ok && again.ok) expect(again.item.id).toBe(first.item.id);
    expect((await gatewayIds()).length).toBe(1);
  });

  it("sends identical content uploaded concurrently only once", async () => {
    const svc = service();
    const bytes = fixture("photo.jpg");
    const results = await Promise.all([upload(svc, ctx(1), "a.jpg", bytes, { hash: false }), upload(svc, ctx(2), "b.jpg", bytes, { hash: false })]);
    expect(results.map((r) => (r.ok ? r.outcome : r.code)).sort()).toEqual(["reused", "uploaded"]);
    expect((await gatewayIds()).length).toBe(1);
  });

  it("sends identical content finished on two instances at once only once", async () => {
    // Two `next start` processes on one data folder: each its own connection, its own upload locks.
    const handles = [0, 1].map(() => openAppDatabase(path.join(app.dir, "app.db")));
    try {
      const [a, b] = handles.map((handle) =>
        service({ db: handle.db, locks: createKeyedLocks({ leases: uploadLeaseStore(handle.db), queue: new Map(), pollMs: 5 }) }),
      );
      const bytes = fixture("photo.jpg");
      const results = await Promise.all([upload(a!, ctx(1), "a.jpg", bytes, { hash: false }), upload(b!, ctx(2), "b.jpg", bytes, { hash: false })]);
      expect(results.map((r) => (r.ok ? r.outcome : r.code)).sort()).toEqual(["reused", "uploaded"]);
      expect((await gatewayIds()).length).toBe(1);
    } finally {
      for (const handle of handles) handle.close();
    }
  });

  it("does not reuse a file that was deleted at the gateway behind our back, and forgets it", async () => {
    const svc = service();
    const bytes = fixture("banner.png");
    const first = await upload(svc, ctx(), "banner.png", bytes);
    if (!first.ok) throw new Error("first upload failed");
    await client.files.remove(first.item.id);
    const again = await upload(svc, ctx(), "banner.png", bytes);
    expect(again).toMatchObject({ ok: true, outcome: "uploaded" });
    if (again.ok) expect(again.item.id).not.toBe(first.item.id);
    expect(mediaRowsById(app.db, [first.item.id]).size).toBe(0);
    expect(fs.existsSync(path.join(dir, "media", first.item.id))).toBe(false);
  });
});

describe("import by URL", () => {
  let files: Awaited<ReturnType<typeof startFileServer>>;
  beforeAll(async () => {
    const serve = (name: string, type: string) => (res: import("node:http").ServerResponse) => {
      res.writeHead(200, { "content-type": type }).end(fixture(name));
    };
    files = await startFileServer({
      "/img/animated.gif?token=secret": serve("animated.gif", "image/gif"),
      "/docs/setup.png": serve("setup.exe", "image/png"),
    });
  });
  afterAll(async () => {
    await files.close();
  });

  it("lets the gateway fetch the file and lists it without a preview, as with the live gateway", async () => {
    const actor = ctx();
    const result = await service().importFromUrl({ url: files.url("/img/animated.gif?token=secret") }, actor);
    expect(result).toMatchObject({
      ok: true,
      message: "Imported animated.gif. The gateway does not give files back, so it is listed without a preview.",
      item: { name: "animated.gif", hasCopy: false, preview: "icon", fileUrl: null },
    });
    if (!result.ok) throw new Error("import failed");
    // The gateway fetched the address itself (query string included) and holds exactly those bytes.
    expect((await gateway.admin("file", { id: result.item.id, type: "mms" })).data).toBe(fixture("animated.gif").toString("base64"));
    expect(mediaRowsById(app.db, [result.item.id]).size).toBe(0);
    expect(actor.audit).toHaveBeenCalledWith("import_url", result.item.id, { bytes: fixture("animated.gif").byteLength, copy: false });
  });

  it("never asks the gateway for the file back: an import is files/add by URL, then files/view", async () => {
    const calls: string[] = [];
    const recording = new Proxy(client.files, {
      get(target, key: string) {
        const value = target[key as keyof typeof target];
        return typeof value === "function" ? (...args: unknown[]) => (calls.push(key), (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
      },
    });
    const result = await service({ gateway: { files: recording } }).importFromUrl({ url: files.url("/img/animated.gif?token=secret") }, ctx());
    expect(result).toMatchObject({ ok: true, item: { hasCopy: false } });
    expect(calls).toEqual(["addFromUrl", "view"]);
  });

  it("passes the gateway's own refusal of the content on, in words, and keeps nothing", async () => {
    const result = await service().importFromUrl({ url: files.url("/docs/setup.png") }, ctx());
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    if (!result.ok) expect(result.fieldErrors.url?.[0]).toBe("The gateway could not import this address: File type not allowed: application/x-msdownload");
    expect(await gatewayIds()).toEqual([]);
  });

  it("explains a download the gateway could not make", async () => {
    const result = await service().importFromUrl({ url: files.url("/missing.png") }, ctx());
    expect(result).toMatchObject({ ok: false, code: "invalid", message: "The gateway could not import this address: Could not download the file: HTTP 404" });
  });
});

describe("delete", () => {
  it("deletes at the gateway, then our copy, thumbnail and row", async () => {
    const svc = service();
    const uploaded = await upload(svc, ctx(), "banner.png", fixture("banner.png"));
    if (!uploaded.ok) throw new Error("upload failed");
    const id = uploaded.item.id;
    const admin = ctx(3, "admin");
    expect(await svc.deleteMedia({ id }, admin)).toEqual({ ok: true, id, alreadyGone: false, message: "Deleted banner.png." });
    expect(await gatewayIds()).toEqual([]);
    expect(fs.readdirSync(path.join(dir, "media"))).toEqual([]);
    expect(mediaRowsById(app.db, [id]).size).toBe(0);
    expect(admin.audit).toHaveBeenCalledWith("delete_media", id, { alreadyGone: false });
  });

  it("removes our row anyway when the gateway no longer knows the id (1004), and says so", async () => {
    const svc = service();
    const uploaded = await upload(svc, ctx(), "banner.png", fixture("banner.png"));
    if (!uploaded.ok) throw new Error("upload failed");
    await client.files.remove(uploaded.item.id);
    const result = await svc.deleteMedia({ id: uploaded.item.id }, ctx(3, "admin"));
    expect(result).toMatchObject({ ok: true, alreadyGone: true, message: "banner.png was already gone at the gateway; it has been removed from the library." });
    expect(mediaRowsById(app.db, [uploaded.item.id]).size).toBe(0);
  });
});

describe("gateway errors from another bundle", () => {
  it("recognises a refusal thrown by another copy of the error classes, so 'unknown id' still means 'already gone'", async () => {
    // Next gives each bundle its own copy of lib/serwersms/errors.ts; a fresh module instance stands in for one.
    vi.resetModules();
    const otherCopy = await import("@/lib/serwersms/errors");
    const remove = async () => {
      throw new otherCopy.GatewayError("files/delete", 1004, "InvalidID", "No mms file with id x");
    };
    const svc = service({ gateway: { files: { ...client.files, remove } } });
    expect(await svc.deleteMedia({ id: "abc123" }, ctx(3, "admin"))).toMatchObject({ ok: true, alreadyGone: true });
  });
});

