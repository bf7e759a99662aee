/**
 * Chunked uploads assembled on disk: `<dir>/<uploadId>` holds the bytes received so far and
 * `<dir>/<uploadId>.json` who started it and what was announced.
 *
 * State lives in files, not in module variables: Next bundles server actions (and each page that
 * imports them) separately, so memory is not shared between calls (toolchain notes §7.2), and an
 * upload must not break because a different bundle answered the next chunk. Nor is it shared
 * between instances: several `next start` processes may serve one data folder behind a load
 * balancer, and the chunks of one upload may reach different ones. So the lock that keeps a chunk,
 * a finish and a cancel of one upload from interleaving is a lease in the app database
 * (`upload_leases`, via a LeaseStore) taken after a queue in this process (createKeyedLocks).
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { MEDIA_MAX_BYTES } from "./limits";
import { UPLOAD_CHUNK_BYTES, UPLOAD_STALE_MS } from "./upload-schemas";

export type UploadMeta = {
  uploadId: string;
  ownerId: number;
  name: string;
  size: number;
  sha256: string | null;
  chunkSize: number;
  createdAt: number;
};

export type UploadSessionErrorCode = "not_found" | "forbidden" | "invalid" | "conflict";

/** A refusal with a message meant for the uploader; the action layer turns it into an ActionFailure. */
export class UploadSessionError extends Error {
  constructor(
    readonly code: UploadSessionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "UploadSessionError";
  }
}

export type UploadSessionOptions = {
  dir: string;
  chunkSize?: number;
  maxBytes?: number;
  staleMs?: number;
  /** Open uploads one user may have; beginning another drops their least recently active one. */
  maxOpenPerOwner?: number;
  now?: () => number;
  /**
   * The locks on uploads and contents. Defaults to this process's alone; the app passes ones backed
   * by database leases (upload-service.ts getMediaService), for instances sharing a data folder.
   */
  locks?: KeyedLocks;
};

const UPLOAD_ID = /^[0-9a-f]{32}$/;

// ---------------------------------------------------------------------------------------------
// Keyed locks: a queue in this process, then a lease shared by every process
// ---------------------------------------------------------------------------------------------

/**
 * Where a lock is held across processes: a lease per key, which its holder renews while it works
 * and which ends by itself when the holder dies (lib/db/queries/upload-leases.ts). Every method is
 * atomic on its own; times are epoch ms.
 */
export type LeaseStore = {
  /** Takes `key` for `owner` until now + ttlMs unless someone else's lease on it is still running. True when taken. */
  acquire(key: string, owner: string, now: number, ttlMs: number): boolean;
  /** Extends `owner`'s lease (taking it back if it ran out unclaimed); false when someone else holds it by now. */
  renew(key: string, owner: string, now: number, ttlMs: number): boolean;
  /** Ends `owner`'s lease (a lease that is someone else's by now is left alone). */
  release(key: string, owner: string): void;
  /** Whether a lease on `key` is running. */
  isHeld(key: string, now: number): boolean;
};

export type KeyedLocks = {
  /**
   * Runs `fn` after every earlier holder of `key` has finished, in this process and in every other
   * one sharing the lease store. Used per upload (a chunk, a finish and a cancel never interleave)
   * and per content hash (two uploads of the same bytes are sent once).
   */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Whether anyone holds or waits for `key` here, or holds it in another process. */
  isLocked(key: string): boolean;
};

export type KeyedLockOptions = {
  /** Null: the locks hold within this process only (tests, single-process tools). */
  leases: LeaseStore | null;
  /**
   * The queue of this process's holders per key. Defaults to the one on globalThis, shared by every
   * bundle; a test passes its own to stand for another process.
   */
  queue?: Map<string, Promise<unknown>>;
  /** How long a lease lasts unrenewed: how long a crashed holder can block an upload. */
  leaseMs?: number;
  /** First wait between attempts to take a lease held elsewhere; doubles up to MAX_POLL_MS. */
  pollMs?: number;
  /** Real time, never a test's fake clock: a lease must end when its holder is really gone. */
  now?: () => number;
};

/**
 * A finish holds its upload's lock while the file goes to the gateway (a 20 MB video can take
 * minutes): the lease is renewed every third of this, so only a process stalled for ~20 s loses it,
 * and a dead one blocks the upload for at most this long.
 */
export const UPLOAD_LEASE_MS = 30_000;
const MAX_POLL_MS = 250;

const queueHolder = globalThis as typeof globalThis & { __mmsUploadLocks?: Map<string, Promise<unknown>> };
const processQueue = (queueHolder.__mmsUploadLocks ??= new Map<string, Promise<unknown>>());

/** Runs `fn` after every earlier holder of `key` in `queue` has finished (one process's holders, in order). */
async function queued<T>(queue: Map<string, Promise<unknown>>, key: string, fn: () => Promise<T>): Promise<T> {
  const previous = queue.get(key) ?? Promise.resolve();
  let release!: () => void;
  const current = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => current);
  queue.set(key, tail);
  try {
    await previous;
    return await fn();
  } finally {
    release();
    if (queue.get(key) === tail) queue.delete(key);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createKeyedLocks(options: KeyedLockOptions): KeyedLocks {
  const { leases } = options;
  const queue = options.queue ?? processQueue;
  const leaseMs = options.leaseMs ?? UPLOAD_LEASE_MS;
  const pollMs = options.pollMs ?? 25;
  const now = options.now ?? Date.now;

  /**
   * Waits for the lease as long as it takes: a live holder finishes, a dead one's lease runs out.
   * While it is held elsewhere, each try is a plain read, not a write transaction.
   */
  async function acquire(store: LeaseStore, key: string, owner: string): Promise<void> {
    const taken = () => !store.isHeld(key, now()) && store.acquire(key, owner, now(), leaseMs);
    for (let wait = pollMs; !taken(); wait = Math.min(wait * 2, MAX_POLL_MS)) await sleep(wait);
  }

  async function holding<T>(store: LeaseStore, key: string, fn: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    await acquire(store, key, owner);
    const renewal = setInterval(() => {
      try {
        // Nothing can stop `fn` half-way safely; say so loudly, the other holder's work may clash with ours.
        if (!store.renew(key, owner, now(), leaseMs)) console.error(`[uploads] lost the lock on ${key}: this process was stalled for longer than ${leaseMs} ms`);
      } catch (error) {
        console.error(`[uploads] could not renew the lock on ${key}:`, error);
      }
    }, Math.max(1, Math.floor(leaseMs / 3)));
    // A renewal timer must never keep a stopping process alive.
    renewal.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
      try {
        store.release(key, owner);
      } catch (error) {
        // The work is done and its answer stands; the lease simply runs out by itself.
        console.error(`[uploads] could not release the lock on ${key} (it ends by itself within ${leaseMs} ms):`, error);
      }
    }
  }

  return {
    // The queue first: holders in this process wait their turn without polling the database, and
    // only the one at the head competes with other processes for the lease.
    run: (key, fn) => queued(queue, key, () => (leases ? holding(leases, key, fn) : fn())),
    isLocked: (key) => queue.has(key) || (leases?.isHeld(key, now()) ?? false),
  };
}

/** The locks of this process alone: what tests and single-process tools get by default. */
const processLocks = createKeyedLocks({ leases: null });

/** Runs `fn` after every earlier holder of `key` in this process has finished. */
export function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  return processLocks.run(key, fn);
}

export function isLocked(key: string): boolean {
  return processLocks.isLocked(key);
}

const uploadLockKey = (uploadId: string) => `upload:${uploadId}`;

// ---------------------------------------------------------------------------------------------

const NOT_OPEN = "This upload is no longer open (it was finished, cancelled, or expired after an hour without activity). Start it again.";

export type UploadSessions = ReturnType<typeof createUploadSessions>;

export function createUploadSessions(options: UploadSessionOptions) {
  const dir = options.dir;
  const chunkSize = options.chunkSize ?? UPLOAD_CHUNK_BYTES;
  const maxBytes = options.maxBytes ?? MEDIA_MAX_BYTES;
  const staleMs = options.staleMs ?? UPLOAD_STALE_MS;
  const maxOpenPerOwner = options.maxOpenPerOwner ?? 8;
  const now = options.now ?? Date.now;
  const locks = options.locks ?? processLocks;

  const dataPath = (uploadId: string) => path.join(dir, uploadId);
  const metaPath = (uploadId: string) => path.join(dir, `${uploadId}.json`);

  function requireId(uploadId: string): void {
    // The id becomes a file name: anything but our own format is refused before touching the disk.
    if (!UPLOAD_ID.test(uploadId)) throw new UploadSessionError("not_found", NOT_OPEN);
  }

  async function readMeta(uploadId: string): Promise<UploadMeta> {
    try {
      return JSON.parse(await fs.promises.readFile(metaPath(uploadId), "utf8")) as UploadMeta;
    } catch {
      throw new UploadSessionError("not_found", NOT_OPEN);
    }
  }

  async function readOwnedMeta(uploadId: string, ownerId: number): Promise<UploadMeta> {
    requireId(uploadId);
    const meta = await readMeta(uploadId);
    if (meta.ownerId !== ownerId) throw new UploadSessionError("forbidden", "This upload was started by another user.");
    return meta;
  }

  async function receivedBytes(uploadId: string): Promise<number> {
    try {
      return (await fs.promises.stat(dataPath(uploadId))).size;
    } catch {
      throw new UploadSessionError("not_found", NOT_OPEN);
    }
  }

  /** Deletes both halves of an upload; true when there was anything to delete. */
  async function removeFiles(uploadId: string): Promise<boolean> {
    const removed = await Promise.all(
      [dataPath(uploadId), metaPath(uploadId)].map((file) =>
        fs.promises.rm(file).then(
          () => true,
          (error: NodeJS.ErrnoException) => {
            if (error.code === "ENOENT") return false;
            throw error;
          },
        ),
      ),
    );
    return removed.some(Boolean);
  }

  /** Last sign of life: creation, or the last chunk written (the data file's mtime). */
  async function lastActivity(uploadId: string, meta: UploadMeta | null): Promise<number> {
    let mtime = 0;
    try {
      mtime = (await fs.promises.stat(dataPath(uploadId))).mtimeMs;
    } catch {
      // No data file: only the meta's own time counts.
    }
    if (meta) return Math.max(meta.createdAt, mtime);
    try {
      return Math.max(mtime, (await fs.promises.stat(metaPath(uploadId))).mtimeMs);
    } catch {
      return mtime;
    }
  }

  async function listIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      return [];
    }
    const ids = new Set<string>();
    for (const name of names) {
      const id = name.endsWith(".json") ? name.slice(0, -5) : name;
      if (UPLOAD_ID.test(id)) ids.add(id);
    }
    return [...ids];
  }

  return {
    dir,
    chunkSize,
    dataPath,
    /** The same locks as the upload's own, for work on its content (upload-service.ts: one finisher per hash). */
    withLock: locks.run,

    /** Opens an upload of `size` bytes for `ownerId`. The caller has already explained size refusals to the user. */
    async begin(input: { ownerId: number; name: string; size: number; sha256: string | null }): Promise<UploadMeta> {
      if (!Number.isInteger(input.size) || input.size < 1 || input.size > maxBytes) {
        throw new UploadSessionError("invalid", `An upload must be between 1 byte and ${maxBytes} bytes.`);
      }
      await fs.promises.mkdir(dir, { recursive: true });

      // Abandoned uploads (closed tab, lost connection) would otherwise hold up to 20 MB each until swept.
      const mine: { id: string; at: number }[] = [];
      for (const id of await listIds()) {
        const meta = await readMeta(id).catch(() => null);
        if (meta?.ownerId === input.ownerId && !locks.isLocked(uploadLockKey(id))) mine.push({ id, at: await lastActivity(id, meta) });
      }
      mine.sort((a, b) => a.at - b.at);
      while (mine.length >= maxOpenPerOwner) {
        const oldest = mine.shift();
        if (oldest) await locks.run(uploadLockKey(oldest.id), () => removeFiles(oldest.id));
      }

      const meta: UploadMeta = {
        uploadId: randomBytes(16).toString("hex"),
        ownerId: input.ownerId,
        name: input.name,
        size: input.size,
        sha256: input.sha256,
        chunkSize,
        createdAt: now(),
      };
      // "wx": never reuse or clobber an existing file, however unlikely a 128-bit collision is.
      await fs.promises.writeFile(dataPath(meta.uploadId), new Uint8Array(0), { flag: "wx" });
      await fs.promises.writeFile(metaPath(meta.uploadId), JSON.stringify(meta), { flag: "wx" });
      return meta;
    },

    /**
     * Writes chunk `index` at offset index × chunkSize. Chunks must arrive in order and have exactly
     * the announced length (the last one the remainder); repeating the chunk just written is a no-op,
     * so a retry after a lost answer is harmless. A Blob (the server action's chunk) is streamed to
     * disk rather than copied into an ArrayBuffer first: one copy less of every uploaded byte. Once
     * read, its bytes wait for a full garbage collection, which the media service asks for (reclaim.ts).
     */
    async append(input: { uploadId: string; ownerId: number; index: number; bytes: Uint8Array | Blob }): Promise<{ received: number; complete: boolean }> {
      requireId(input.uploadId);
      return locks.run(uploadLockKey(input.uploadId), async () => {
        const meta = await readOwnedMeta(input.uploadId, input.ownerId);
        const received = await receivedBytes(input.uploadId);
        const chunkCount = Math.ceil(meta.size / meta.chunkSize);
        if (!Number.isInteger(input.index) || input.index < 0 || input.index >= chunkCount) {
          throw new UploadSessionError("invalid", `Chunk ${input.index} is outside this ${meta.size}-byte file (it has ${chunkCount} chunks).`);
        }
        const offset = input.index * meta.chunkSize;
        const expected = Math.min(meta.chunkSize, meta.size - offset);
        const length = input.bytes instanceof Blob ? input.bytes.size : input.bytes.byteLength;
        if (length !== expected) {
          throw new UploadSessionError("invalid", `Chunk ${input.index} has ${length} bytes; expected ${expected}.`);
        }
        if (offset + expected === received) return { received, complete: received === meta.size };
        if (offset !== received) {
          throw new UploadSessionError(
            "conflict",
            `Chunk ${input.index} arrived out of order: ${received} bytes are stored, so chunk ${Math.floor(received / meta.chunkSize)} is next.`,
          );
        }
        const handle = await fs.promises.open(dataPath(input.uploadId), "r+");
        try {
          if (input.bytes instanceof Blob) {
            const reader = input.bytes.stream().getReader();
            for (let position = offset, piece = await reader.read(); !piece.done; piece = await reader.read()) {
              await handle.write(piece.value, 0, piece.value.byteLength, position);
              position += piece.value.byteLength;
            }
          } else {
            await handle.write(input.bytes, 0, expected, offset);
          }
        } finally {
          await handle.close();
        }
        const total = offset + expected;
        return { received: total, complete: total === meta.size };
      });
    },

    /**
     * Hands a complete upload to `process` while holding its lock (no chunk or cancel can interleave),
     * then deletes whatever `process` left of the temp file, success or not.
     */
    async finish<T>(input: { uploadId: string; ownerId: number }, process: (meta: UploadMeta, filePath: string) => Promise<T>): Promise<T> {
      requireId(input.uploadId);
      return locks.run(uploadLockKey(input.uploadId), async () => {
        const meta = await readOwnedMeta(input.uploadId, input.ownerId);
        const received = await receivedBytes(input.uploadId);
        if (received !== meta.size) {
          throw new UploadSessionError("invalid", `The upload is incomplete: ${received} of ${meta.size} bytes arrived. Upload the file again.`);
        }
        try {
          return await process(meta, dataPath(input.uploadId));
        } finally {
          await removeFiles(input.uploadId);
        }
      });
    },

    /** Deletes an upload of this owner. False when it was already gone (finished, cancelled, swept). */
    async cancel(input: { uploadId: string; ownerId: number }): Promise<boolean> {
      requireId(input.uploadId);
      return locks.run(uploadLockKey(input.uploadId), async () => {
        try {
          await readOwnedMeta(input.uploadId, input.ownerId);
        } catch (error) {
          if (error instanceof UploadSessionError && error.code === "not_found") return false;
          throw error;
        }
        await removeFiles(input.uploadId);
        return true;
      });
    },

    /** Deletes uploads idle for longer than staleMs, and stray halves of crashed ones. Returns how many. */
    async sweep(): Promise<number> {
      let removed = 0;
      const cutoff = now() - staleMs;
      const idle = async (id: string) => (await lastActivity(id, await readMeta(id).catch(() => null))) <= cutoff;
      for (const id of await listIds()) {
        if (locks.isLocked(uploadLockKey(id)) || !(await idle(id))) continue;
        // Asked again under the lock: while this waited, another instance may have taken a chunk of
        // it, or finished it and removed it.
        if (await locks.run(uploadLockKey(id), async () => (await idle(id)) && removeFiles(id))) removed++;
      }
      return removed;
    },
  };
}
