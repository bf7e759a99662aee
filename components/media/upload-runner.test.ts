import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { MediaItem } from "@/lib/media/library-types";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "@/lib/http/server-action-limits";
import { runUpload, sha256Hex, type UploadApi, type UploadProgress } from "./upload-runner";

const item = (id: string, name = `${id}.png`): MediaItem => ({
  id,
  name,
  size: 1,
  uploadedAt: "2026-11-25 10:00:00",
  contentType: "image/png",
  kind: "image",
  hasCopy: true,
  preview: "image",
  fileUrl: `/api/media/${id}/file`,
  thumbnailUrl: `/api/media/${id}/thumbnail`,
  textSnippet: null,
});

function file(size: number, name = "photo.jpg"): File {
  return new File([new Uint8Array(size).fill(5)], name, { type: "image/jpeg" });
}

/** A fake server that stores chunks and records every call. */
function fakeApi(overrides: Partial<UploadApi> = {}) {
  const chunks: { index: number; size: number }[] = [];
  const calls: string[] = [];
  const api: UploadApi = {
    begin: vi.fn(async () => {
      calls.push("begin");
      return { ok: true as const, outcome: "upload" as const, uploadId: "u1", chunkSize: 4 };
    }),
    chunk: vi.fn(async (form: FormData) => {
      calls.push("chunk");
      const blob = form.get("chunk") as Blob;
      chunks.push({ index: Number(form.get("index")), size: blob.size });
      return { ok: true as const, received: chunks.reduce((sum, c) => sum + c.size, 0) };
    }),
    finish: vi.fn(async () => {
      calls.push("finish");
      return { ok: true as const, outcome: "uploaded" as const, item: item("g1"), message: "Uploaded photo.jpg." };
    }),
    cancel: vi.fn(async () => {
      calls.push("cancel");
      return { ok: true as const, cancelled: true };
    }),
    ...overrides,
  };
  return { api, chunks, calls };
}

describe("runUpload", () => {
  it("hashes, begins, sends every chunk in order with its offset, reports acknowledged bytes, then finishes", async () => {
    const { api, chunks } = fakeApi();
    const progress: UploadProgress[] = [];
    const outcome = await runUpload(file(10), api, { onProgress: (p) => progress.push(p), isCancelled: () => false });
    expect(outcome).toEqual({ status: "done", message: "Uploaded photo.jpg.", item: item("g1") });
    expect(api.begin).toHaveBeenCalledWith({ name: "photo.jpg", size: 10, sha256: createHash("sha256").update(new Uint8Array(10).fill(5)).digest("hex") });
    expect(chunks).toEqual([
      { index: 0, size: 4 },
      { index: 1, size: 4 },
      { index: 2, size: 2 },
    ]);
    expect(progress).toEqual([
      { status: "hashing", sent: 0 },
      { status: "uploading", sent: 0 },
      { status: "uploading", sent: 4 },
      { status: "uploading", sent: 8 },
      { status: "uploading", sent: 10 },
      { status: "checking", sent: 10 },
    ]);
  });

  it("stops at begin when the library already holds the content", async () => {
    const { api, calls } = fakeApi({
      begin: async () => ({ ok: true, outcome: "reused", item: item("old", "banner.png"), message: "Already in the library as banner.png: reused, not uploaded again." }),
    });
    const outcome = await runUpload(file(10), api, { onProgress: () => undefined, isCancelled: () => false });
    expect(outcome.status).toBe("reused");
    expect(outcome.message).toBe("Already in the library as banner.png: reused, not uploaded again.");
    expect(calls).toEqual([]);
  });

  it("reports content verdicts as refusals and everything else as retryable failures", async () => {
    const refused = fakeApi({ finish: async () => ({ ok: false, code: "invalid", message: '"x.jpg" is a PDF document', fieldErrors: {} }) });
    expect(await runUpload(file(3), refused.api, { onProgress: () => undefined, isCancelled: () => false })).toMatchObject({ status: "refused", message: '"x.jpg" is a PDF document' });

    const gatewayDown = fakeApi({ finish: async () => ({ ok: false, code: "gateway", message: "The gateway did not answer in time.", fieldErrors: {} }) });
    expect(await runUpload(file(3), gatewayDown.api, { onProgress: () => undefined, isCancelled: () => false })).toMatchObject({ status: "failed" });

    const emptyAtBegin = fakeApi({ begin: async () => ({ ok: false, code: "invalid", message: '"e.txt" is empty (0 bytes).', fieldErrors: {} }) });
    expect(await runUpload(file(0), emptyAtBegin.api, { onProgress: () => undefined, isCancelled: () => false })).toMatchObject({ status: "refused" });
  });

  it("turns a thrown server action (network drop, 413) into a failure and abandons the server-side upload", async () => {
    const { api, calls } = fakeApi({
      chunk: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    const outcome = await runUpload(file(10), api, { onProgress: () => undefined, isCancelled: () => false });
    expect(outcome.status).toBe("failed");
    expect(outcome.message).toContain("connection to the server was interrupted");
    expect(calls).toEqual(["begin", "cancel"]);
  });

  it("never sends a part larger than one server action may carry: says why, and abandons the server-side upload", async () => {
    const chunkSize = SERVER_ACTION_BODY_LIMIT_BYTES;
    const { api, calls } = fakeApi({
      begin: async () => {
        calls.push("begin");
        return { ok: true as const, outcome: "upload" as const, uploadId: "u1", chunkSize };
      },
    });
    const outcome = await runUpload(file(chunkSize + 10), api, { onProgress: () => undefined, isCancelled: () => false });
    expect(outcome).toEqual({
      status: "failed",
      message: "This file is sent in parts of 4.0 MB, which is more than the server accepts in one request (4.0 MB). Nothing was uploaded. Ask an administrator to check the upload settings.",
      item: null,
    });
    expect(calls).toEqual(["begin", "cancel"]);
  });

  it("a chunk refused by the server is a failure (retryable), not a verdict on the file", async () => {
    const { api } = fakeApi({ chunk: async () => ({ ok: false, code: "invalid", message: "Chunk 0 has 3 bytes; expected 4.", fieldErrors: {} }) });
    expect((await runUpload(file(10), api, { onProgress: () => undefined, isCancelled: () => false })).status).toBe("failed");
  });

  it("cancels between chunks and tells the server to delete the partial upload", async () => {
    let cancelled = false;
    const { api, calls } = fakeApi({
      chunk: vi.fn(async () => {
        calls.push("chunk");
        cancelled = true;
        return { ok: true as const, received: 4 };
      }),
    });
    const outcome = await runUpload(file(10), api, { onProgress: () => undefined, isCancelled: () => cancelled });
    expect(outcome.status).toBe("cancelled");
    expect(calls).toEqual(["begin", "chunk", "cancel"]);
  });

  it("cancelling while hashing never contacts the server", async () => {
    const { api, calls } = fakeApi();
    const outcome = await runUpload(file(10), api, { onProgress: () => undefined, isCancelled: () => true });
    expect(outcome.status).toBe("cancelled");
    expect(calls).toEqual([]);
  });

  it("still uploads when hashing fails; the server decides reuse at finish", async () => {
    const { api } = fakeApi();
    const outcome = await runUpload(file(5), api, {
      onProgress: () => undefined,
      isCancelled: () => false,
      hash: async () => {
        throw new Error("no crypto.subtle");
      },
    });
    expect(outcome.status).toBe("done");
    expect(api.begin).toHaveBeenCalledWith({ name: "photo.jpg", size: 5, sha256: null });
  });
});

describe("sha256Hex", () => {
  it("matches Node's sha256 for the same bytes", async () => {
    const bytes = new TextEncoder().encode("Promocja jesienna");
    expect(await sha256Hex(new Blob([bytes]))).toBe(createHash("sha256").update(bytes).digest("hex"));
  });
});
