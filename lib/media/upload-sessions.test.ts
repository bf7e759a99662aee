import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAppDatabase } from "@/lib/db";
import { uploadLeaseStore } from "@/lib/db/queries/upload-leases";
import { tempAppDatabase } from "@/tests/support/app-db";
import { raceProcesses, startProcess } from "@/tests/support/processes";
import { createKeyedLocks, createUploadSessions, UploadSessionError, withLock } from "./upload-sessions";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mms-uploads-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const OWNER = 7;
const OTHER = 8;

function bytes(length: number, fill = 1): Uint8Array<ArrayBuffer> {
  return new Uint8Array(length).fill(fill);
}

async function refusal(promise: Promise<unknown>): Promise<UploadSessionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadSessionError);
  return error as UploadSessionError;
}

/** 10-byte chunks keep the arithmetic readable; the production size is 2 MiB. */
function sessions(overrides: Partial<Parameters<typeof createUploadSessions>[0]> = {}) {
  return createUploadSessions({ dir, chunkSize: 10, maxBytes: 100, ...overrides });
}

describe("chunk offsets", () => {
  it("assembles chunks written in order into exactly the announced bytes", async () => {
    const store = sessions();
    const meta = await store.begin({ ownerId: OWNER, name: "a.png", size: 25, sha256: null });
    expect(await store.append({ uploadId: meta.uploadId, ownerId: OWNER, index: 0, bytes: bytes(10, 1) })).toEqual({ received: 10, complete: false });
    expect(await store.append({ uploadId: meta.uploadId, ownerId: OWNER, index: 1, bytes: bytes(10, 2) })).toEqual({ received: 20, complete: false });
    expect(await store.append({ uploadId: meta.uploadId, ownerId: OWNER, index: 2, bytes: bytes(5, 3) })).toEqual({ received: 25, complete: true });
    const assembled = await store.finish({ uploadId: meta.uploadId, ownerId: OWNER }, async (_meta, file) => fs.readFileSync(file));
    expect([...assembled]).toEqual([...bytes(10, 1), ...bytes(10, 2), ...bytes(5, 3)]);
  });

  it("streams Blob chunks (what the server action receives) to the same bytes, multi-part blobs included", async () => {
    const store = sessions();
    const meta = await store.begin({ ownerId: OWNER, name: "a.png", size: 25, sha256: null });
    await store.append({ uploadId: meta.uploadId, ownerId: OWNER, index: 0, bytes: new Blob([bytes(4, 1), bytes(6, 2)]) });
    await store.append({ uploadId: meta.uploadId, ownerId: OWNER, index: 1, bytes: new Blob([bytes(10, 3)]) });
    await expect(store.append({ uploadId: meta.uploadId, ownerId: OWNER, index: 2, bytes: new Blob([bytes(6, 4)]) })).rejects.toThrow("Chunk 2 has 6 bytes; expected 5.");
    expect(await store.append({ uploadId: meta.uploadId, ownerId: OWNER, index: 2, bytes: new Blob([bytes(5, 4)]) })).toEqual({ received: 25, complete: true });
    const assembled = await store.finish({ uploadId: meta.uploadId, ownerId: OWNER }, async (_meta, file) => fs.readFileSync(file));
    expect([...assembled]).toEqual([...bytes(4, 1), ...bytes(6, 2), ...bytes(10, 3), ...bytes(5, 4)]);
  });

  it("refuses a chunk that skips ahead, naming the chunk that is due", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 25, sha256: null });
    const error = await refusal(store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10) }));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("chunk 0 is next");
  });

  it("treats a repeat of the chunk just written as a no-op (retry after a lost answer) but refuses older ones", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 30, sha256: null });
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10, 1) });
    await store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10, 2) });
    expect(await store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10, 9) })).toEqual({ received: 20, complete: false });
    expect((await refusal(store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10) }))).code).toBe("conflict");
    expect(fs.statSync(store.dataPath(uploadId)).size).toBe(20);
  });

  it("requires full-size chunks except the last, which must be exactly the remainder", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 25, sha256: null });
    expect((await refusal(store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(9) }))).message).toBe("Chunk 0 has 9 bytes; expected 10.");
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10) });
    await store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10) });
    expect((await refusal(store.append({ uploadId, ownerId: OWNER, index: 2, bytes: bytes(10) }))).message).toBe("Chunk 2 has 10 bytes; expected 5.");
  });

  it("refuses chunk indexes outside the file and never grows it past the announced size", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 20, sha256: null });
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10) });
    await store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10) });
    const error = await refusal(store.append({ uploadId, ownerId: OWNER, index: 2, bytes: bytes(10) }));
    expect(error.code).toBe("invalid");
    expect(error.message).toContain("outside this 20-byte file");
    expect((await refusal(store.append({ uploadId, ownerId: OWNER, index: -1, bytes: bytes(10) }))).code).toBe("invalid");
    expect(fs.statSync(store.dataPath(uploadId)).size).toBe(20);
  });

  it("serialises concurrent chunks of one upload, so exactly one of two racing writers wins", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 20, sha256: null });
    const results = await Promise.allSettled([
      store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10, 1) }),
      store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10, 2) }),
      store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10, 3) }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    const file = fs.readFileSync(store.dataPath(uploadId));
    expect([...file.subarray(10)]).toEqual([...bytes(10, 2)]);
  });

  it("will not finish an incomplete upload", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 25, sha256: null });
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10) });
    const error = await refusal(store.finish({ uploadId, ownerId: OWNER }, async () => "processed"));
    expect(error.code).toBe("invalid");
    expect(error.message).toContain("10 of 25 bytes");
  });

  it("removes the temp files after finishing, whether processing succeeded or threw", async () => {
    const store = sessions();
    for (const outcome of ["ok", "throws"] as const) {
      const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 5, sha256: null });
      await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(5) });
      const run = store.finish({ uploadId, ownerId: OWNER }, async () => {
        if (outcome === "throws") throw new Error("gateway down");
        return "done";
      });
      if (outcome === "throws") await expect(run).rejects.toThrow("gateway down");
      else await expect(run).resolves.toBe("done");
      expect(fs.readdirSync(dir)).toEqual([]);
      expect((await refusal(store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(5) }))).code).toBe("not_found");
    }
  });
});

describe("ownership", () => {
  it("lets only the user who began an upload add to, finish or cancel it", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 10, sha256: null });
    const attempts = [
      store.append({ uploadId, ownerId: OTHER, index: 0, bytes: bytes(10) }),
      store.finish({ uploadId, ownerId: OTHER }, async () => "stolen"),
      store.cancel({ uploadId, ownerId: OTHER }),
    ];
    for (const attempt of attempts) {
      const error = await refusal(attempt);
      expect(error.code).toBe("forbidden");
      expect(error.message).toBe("This upload was started by another user.");
    }
    expect(fs.existsSync(store.dataPath(uploadId))).toBe(true);
    expect(fs.statSync(store.dataPath(uploadId)).size).toBe(0);
  });

  it("refuses ids that are not ours before touching the disk (no path tricks)", async () => {
    const store = sessions();
    for (const uploadId of ["../../etc/passwd", "A".repeat(32), "", "0123"]) {
      expect((await refusal(store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(1) }))).code).toBe("not_found");
    }
  });
});

describe("size limits", () => {
  it("refuses empty and oversized uploads at begin", async () => {
    const store = sessions();
    for (const size of [0, 101, -5, 2.5]) {
      expect((await refusal(store.begin({ ownerId: OWNER, name: "a.png", size, sha256: null }))).code).toBe("invalid");
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    await expect(store.begin({ ownerId: OWNER, name: "a.png", size: 100, sha256: null })).resolves.toMatchObject({ size: 100 });
  });

  it("uses the production limits by default: 2 MiB chunks, 20 MB files", async () => {
    const store = createUploadSessions({ dir });
    expect(store.chunkSize).toBe(2 * 1024 * 1024);
    expect((await refusal(store.begin({ ownerId: OWNER, name: "big.mp4", size: 20 * 1024 * 1024 + 1, sha256: null }))).code).toBe("invalid");
  });
});

describe("cancel", () => {
  it("deletes the temp file and meta; a second cancel reports it was already gone", async () => {
    const store = sessions();
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 20, sha256: null });
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10) });
    expect(await store.cancel({ uploadId, ownerId: OWNER })).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await store.cancel({ uploadId, ownerId: OWNER })).toBe(false);
    expect((await refusal(store.append({ uploadId, ownerId: OWNER, index: 1, bytes: bytes(10) }))).code).toBe("not_found");
  });
});

describe("sweep", () => {
  const HOUR = 60 * 60 * 1000;

  it("deletes uploads idle for more than an hour and keeps recent ones", async () => {
    let clock = Date.now();
    const store = sessions({ now: () => clock });
    const old = await store.begin({ ownerId: OWNER, name: "old.png", size: 20, sha256: null });
    await store.append({ uploadId: old.uploadId, ownerId: OWNER, index: 0, bytes: bytes(10) });
    const past = new Date(clock - HOUR - 60_000);
    fs.utimesSync(store.dataPath(old.uploadId), past, past);
    // The meta says it began long ago too.
    const metaFile = path.join(dir, `${old.uploadId}.json`);
    fs.writeFileSync(metaFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(metaFile, "utf8")), createdAt: past.getTime() }));
    const fresh = await store.begin({ ownerId: OWNER, name: "new.png", size: 20, sha256: null });

    expect(await store.sweep()).toBe(1);
    expect(fs.existsSync(store.dataPath(old.uploadId))).toBe(false);
    expect(fs.existsSync(metaFile)).toBe(false);
    expect(fs.existsSync(store.dataPath(fresh.uploadId))).toBe(true);

    clock += 2 * HOUR;
    expect(await store.sweep()).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("counts a recent chunk as activity even when the upload began long ago", async () => {
    const began = Date.now() - 3 * HOUR;
    const store = sessions({ now: () => began });
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "slow.png", size: 20, sha256: null });
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(10) });
    const later = sessions({ now: () => Date.now() });
    expect(await later.sweep()).toBe(0);
    expect(fs.existsSync(later.dataPath(uploadId))).toBe(true);
  });

  it("removes stray halves of crashed uploads but leaves other files alone", async () => {
    const store = sessions({ now: () => Date.now() + 2 * HOUR });
    fs.writeFileSync(path.join(dir, "0123456789abcdef0123456789abcdef"), "orphan bytes");
    fs.writeFileSync(path.join(dir, "fedcba9876543210fedcba9876543210.json"), "{not json");
    fs.writeFileSync(path.join(dir, "README"), "not an upload");
    expect(await store.sweep()).toBe(2);
    expect(fs.readdirSync(dir)).toEqual(["README"]);
  });

  it("never sweeps an upload that is being finished", async () => {
    const store = sessions({ now: () => Date.now() + 2 * HOUR });
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 5, sha256: null });
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(5) });
    let sweptDuring = -1;
    await store.finish({ uploadId, ownerId: OWNER }, async (_meta, file) => {
      sweptDuring = await store.sweep();
      expect(fs.existsSync(file)).toBe(true);
    });
    expect(sweptDuring).toBe(0);
  });

  it("keeps at most maxOpenPerOwner open uploads per user by dropping that user's least recently active one", async () => {
    let clock = Date.now();
    const store = sessions({ maxOpenPerOwner: 2, now: () => clock++ });
    const first = await store.begin({ ownerId: OWNER, name: "1.png", size: 5, sha256: null });
    const second = await store.begin({ ownerId: OWNER, name: "2.png", size: 5, sha256: null });
    const someoneElse = await store.begin({ ownerId: OTHER, name: "x.png", size: 5, sha256: null });
    const third = await store.begin({ ownerId: OWNER, name: "3.png", size: 5, sha256: null });
    expect(fs.existsSync(store.dataPath(first.uploadId))).toBe(false);
    for (const kept of [second, someoneElse, third]) expect(fs.existsSync(store.dataPath(kept.uploadId))).toBe(true);
  });
});

describe("withLock", () => {
  it("runs holders of one key one after another, and different keys in parallel", async () => {
    const order: string[] = [];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all([
      withLock("k", async () => {
        order.push("a-start");
        await sleep(20);
        order.push("a-end");
      }),
      withLock("k", async () => {
        order.push("b-start");
        order.push("b-end");
      }),
      withLock("other", async () => {
        order.push("c");
      }),
    ]);
    expect(order.indexOf("b-start")).toBeGreaterThan(order.indexOf("a-end"));
    expect(order.indexOf("c")).toBeLessThan(order.indexOf("a-end"));
  });

  it("releases the lock when the holder throws", async () => {
    await expect(withLock("t", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(withLock("t", async () => "next")).resolves.toBe("next");
  });
});

describe("several instances on one data folder", () => {
  // Each "instance" is what another `next start` process behind the load balancer has: its own
  // connection to the shared database file, its own queue in memory, the shared upload folder.
  let database: ReturnType<typeof tempAppDatabase>;
  const handles: ReturnType<typeof openAppDatabase>[] = [];
  beforeEach(() => {
    database = tempAppDatabase();
  });
  afterEach(() => {
    for (const handle of handles.splice(0)) handle.close();
    database.dispose();
  });

  function instance(options: { leaseMs?: number; now?: () => number } = {}) {
    const handle = openAppDatabase(path.join(database.dir, "app.db"));
    handles.push(handle);
    const locks = createKeyedLocks({ leases: uploadLeaseStore(handle.db), queue: new Map(), leaseMs: options.leaseMs, pollMs: 5 });
    return sessions({ locks, now: options.now });
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function completeUpload(store: ReturnType<typeof instance>) {
    const { uploadId } = await store.begin({ ownerId: OWNER, name: "a.png", size: 5, sha256: null });
    await store.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(5) });
    return uploadId;
  }

  it("processes an upload once when its finish is retried through another instance at the same time", async () => {
    const [a, b] = [instance(), instance()];
    const uploadId = await completeUpload(a);
    let processed = 0;
    const processing = async () => {
      processed++;
      await sleep(100);
      return "sent to the gateway";
    };
    const results = await Promise.allSettled([a.finish({ uploadId, ownerId: OWNER }, processing), b.finish({ uploadId, ownerId: OWNER }, processing)]);
    expect(processed).toBe(1);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as UploadSessionError).code)).sort()).toEqual(["not_found", "sent to the gateway"]);
  });

  it("makes a chunk or a cancel that reaches another instance wait until the finish in progress is done", async () => {
    const [a, b] = [instance(), instance()];
    const uploadId = await completeUpload(a);
    let cancelled: Promise<boolean> | undefined;
    let appended: Promise<unknown> | undefined;
    const settled: string[] = [];
    await a.finish({ uploadId, ownerId: OWNER }, async (_meta, file) => {
      cancelled = b.cancel({ uploadId, ownerId: OWNER }).finally(() => settled.push("cancel"));
      appended = b.append({ uploadId, ownerId: OWNER, index: 0, bytes: bytes(5) }).catch((error: unknown) => error).finally(() => settled.push("append"));
      await sleep(200);
      expect(settled).toEqual([]);
      expect(fs.readFileSync(file).byteLength).toBe(5);
    });
    // The finish removed the upload: the other instance finds it gone, and says so.
    expect(await cancelled).toBe(false);
    expect(((await appended) as UploadSessionError).code).toBe("not_found");
  });

  it("keeps the lock of a finish that outlasts the lease time: its holder renews it", async () => {
    const [a, b] = [instance({ leaseMs: 300 }), instance({ leaseMs: 300 })];
    const uploadId = await completeUpload(a);
    let cancelled: Promise<boolean> | undefined;
    let settled = false;
    await a.finish({ uploadId, ownerId: OWNER }, async (_meta, file) => {
      cancelled = b.cancel({ uploadId, ownerId: OWNER }).finally(() => (settled = true));
      await sleep(1_000);
      expect(settled).toBe(false);
      expect(fs.existsSync(file)).toBe(true);
    });
    expect(await cancelled).toBe(false);
  });

  it("never sweeps an upload another instance is finishing", async () => {
    const a = instance();
    const b = instance({ now: () => Date.now() + 2 * 60 * 60 * 1000 });
    const uploadId = await completeUpload(a);
    let sweptDuring = -1;
    await a.finish({ uploadId, ownerId: OWNER }, async (_meta, file) => {
      sweptDuring = await b.sweep();
      expect(fs.existsSync(file)).toBe(true);
    });
    expect(sweptDuring).toBe(0);
  });

  it("lets exactly one of three processes racing to finish one upload process it", async () => {
    const uploadId = await completeUpload(instance());
    const args = [path.join(database.dir, "app.db"), dir, "finish", uploadId, String(OWNER), "30000"];
    const answers = await raceProcesses<{ processed?: true; refused?: string }>("tests/support/upload-process.ts", [args, args, args]);
    expect(answers.filter((a) => a.processed).length).toBe(1);
    expect(answers.filter((a) => a.refused === "not_found").length).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);

  it("does not let a process that died holding an upload's lock block it for longer than the lease", async () => {
    const b = instance();
    const uploadId = await completeUpload(b);
    const crashing = startProcess("tests/support/upload-process.ts", [path.join(database.dir, "app.db"), dir, "hold", uploadId, String(OWNER), "2000"]);
    await crashing.ready;
    crashing.go();
    await crashing.printed("holding\n");
    crashing.child.kill("SIGKILL");
    const killedAt = Date.now();
    // Its lease (2 s, renewed every 2/3 s until the kill) is no longer renewed: this instance gets
    // the upload once it runs out, not before.
    await expect(b.cancel({ uploadId, ownerId: OWNER })).resolves.toBe(true);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(300);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);
});
