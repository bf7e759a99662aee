import { describe, expect, it } from "vitest";
import type { MediaItem } from "@/lib/media/library-types";
import type { ActionResult } from "@/lib/server/result";
import type { FinishUploadOk } from "@/lib/media/upload-schemas";
import { createUploadQueue } from "./upload-queue";
import type { UploadApi } from "./upload-runner";

function item(id: string): MediaItem {
  return { id, name: id, size: 1, uploadedAt: "2026-11-25 10:00:00", contentType: "image/png", kind: "image", hasCopy: true, preview: "image", fileUrl: null, thumbnailUrl: null, textSnippet: null };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Every finish waits until the test releases it, so the number of files in flight can be observed. */
function controlledApi() {
  const finishes = new Map<string, ReturnType<typeof deferred<ActionResult<FinishUploadOk>>>>();
  let inFlight = 0;
  let maxInFlight = 0;
  const api: UploadApi = {
    begin: async (input) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return { ok: true, outcome: "upload", uploadId: input.name, chunkSize: 1024 };
    },
    chunk: async (form) => ({ ok: true, received: (form.get("chunk") as Blob).size }),
    finish: async ({ uploadId }) => {
      const waiting = deferred<ActionResult<FinishUploadOk>>();
      finishes.set(uploadId, waiting);
      const result = await waiting.promise;
      inFlight--;
      return result;
    },
    cancel: async () => ({ ok: true, cancelled: true }),
  };
  return {
    api,
    finishes,
    maxInFlight: () => maxInFlight,
    release(name: string, result: ActionResult<FinishUploadOk> = { ok: true, outcome: "uploaded", item: item(name), message: `Uploaded ${name}.` }) {
      finishes.get(name)?.resolve(result);
    },
  };
}

const noHash = async () => null;
const file = (name: string) => new File([new Uint8Array(10)], name);

describe("upload queue", () => {
  it("runs at most two uploads at a time and reports each drop once all of its files settled", async () => {
    const server = controlledApi();
    const batches: string[][] = [];
    const items: string[] = [];
    const queue = createUploadQueue({
      api: server.api,
      concurrency: 2,
      hash: noHash,
      onItem: (i) => items.push(i.id),
      onBatchSettled: (settled) => batches.push(settled.map((i) => i.id)),
    });
    queue.add([file("a.png"), file("b.png"), file("c.png")]);
    await tick();
    expect(queue.getSnapshot().map((e) => e.status)).toEqual(["checking", "checking", "queued"]);

    server.release("a.png");
    await tick();
    await tick();
    expect(queue.getSnapshot().map((e) => e.status)).toEqual(["done", "checking", "checking"]);
    server.release("b.png");
    server.release("c.png", { ok: false, code: "invalid", message: "c.png is not an image", fieldErrors: {} });
    await tick();
    await tick();

    expect(server.maxInFlight()).toBe(2);
    expect(queue.getSnapshot().map((e) => [e.status, e.message])).toEqual([
      ["done", "Uploaded a.png."],
      ["done", "Uploaded b.png."],
      ["refused", "c.png is not an image"],
    ]);
    expect(queue.getSnapshot().map((e) => e.sent)).toEqual([10, 10, 10]);
    expect(items).toEqual(["a.png", "b.png"]);
    expect(batches).toEqual([["a.png", "b.png"]]);
  });

  it("lists files refused in the browser with their own reason next to the accepted ones", async () => {
    const server = controlledApi();
    const queue = createUploadQueue({ api: server.api, concurrency: 2, hash: noHash });
    queue.add([file("ok.png")], [{ file: file("movie.mkv"), message: '"movie.mkv" is not a file type MMS accepts.' }]);
    await tick();
    expect(queue.getSnapshot().map((e) => [e.name, e.status, e.message])).toEqual([
      ["ok.png", "checking", null],
      ["movie.mkv", "refused", '"movie.mkv" is not a file type MMS accepts.'],
    ]);
  });

  it("cancels a queued file at once; a failed one can be retried and is then reported on its own", async () => {
    const server = controlledApi();
    const batches: string[][] = [];
    const queue = createUploadQueue({ api: server.api, concurrency: 1, hash: noHash, onBatchSettled: (s) => batches.push(s.map((i) => i.id)) });
    queue.add([file("a.png"), file("b.png")]);
    await tick();
    const [a, b] = queue.getSnapshot();
    queue.cancel(b!.key);
    expect(queue.getSnapshot()[1]!.status).toBe("cancelled");

    server.release("a.png", { ok: false, code: "gateway", message: "The gateway did not answer in time.", fieldErrors: {} });
    await tick();
    await tick();
    expect(queue.getSnapshot()[0]!.status).toBe("failed");
    expect(batches).toEqual([[]]);

    queue.retry(a!.key);
    await tick();
    expect(queue.getSnapshot()[0]!.status).toBe("checking");
    server.release("a.png");
    await tick();
    await tick();
    expect(queue.getSnapshot()[0]!.status).toBe("done");
    expect(batches).toEqual([[], ["a.png"]]);
  });

  it("clears finished rows but keeps failed ones for a retry", async () => {
    const server = controlledApi();
    const queue = createUploadQueue({ api: server.api, concurrency: 2, hash: noHash });
    queue.add([file("a.png"), file("b.png")], [{ file: file("x.exe"), message: "no" }]);
    await tick();
    server.release("a.png");
    server.release("b.png", { ok: false, code: "internal", message: "oops", fieldErrors: {} });
    await tick();
    await tick();
    queue.clearFinished();
    expect(queue.getSnapshot().map((e) => [e.name, e.status])).toEqual([["b.png", "failed"]]);
  });
});
