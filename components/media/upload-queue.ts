/**
 * The dropzone's upload list: per-file status and progress, at most `concurrency` files in flight,
 * cancel and retry. A tiny external store (subscribe/getSnapshot) so React reads it with
 * useSyncExternalStore while the async upload loops write to it without stale closures.
 */
import type { MediaItem } from "@/lib/media/library-types";
import { runUpload, TERMINAL_STATUSES, type UploadApi, type UploadSource, type UploadStatus } from "./upload-runner";

export type UploadEntry = {
  key: string;
  name: string;
  size: number;
  status: UploadStatus;
  /** Bytes the server has acknowledged. */
  sent: number;
  message: string | null;
  item: MediaItem | null;
  batch: number;
};

export type UploadQueueOptions = {
  api: UploadApi;
  concurrency: number;
  hash?: (file: Blob) => Promise<string | null>;
  /** Each file that ends up in the library (uploaded or reused), as soon as it does. */
  onItem?: (item: MediaItem) => void;
  /** Once every file of a drop has settled: the library items it produced (none when all failed). */
  onBatchSettled?: (items: MediaItem[]) => void;
};

export type UploadQueue = ReturnType<typeof createUploadQueue>;

export function createUploadQueue(options: UploadQueueOptions) {
  let entries: readonly UploadEntry[] = [];
  const files = new Map<string, UploadSource>();
  const cancelRequested = new Set<string>();
  const reported = new Set<string>();
  const listeners = new Set<() => void>();
  let running = 0;
  let nextKey = 0;
  let nextBatch = 0;

  function emit() {
    for (const listener of listeners) listener();
  }

  function patch(key: string, change: Partial<UploadEntry>) {
    entries = entries.map((entry) => (entry.key === key ? { ...entry, ...change } : entry));
    emit();
  }

  function find(key: string): UploadEntry | undefined {
    return entries.find((entry) => entry.key === key);
  }

  function settleBatch(batch: number) {
    const members = entries.filter((entry) => entry.batch === batch);
    if (members.some((entry) => !TERMINAL_STATUSES.has(entry.status))) return;
    const items: MediaItem[] = [];
    for (const entry of members) {
      if (entry.item && (entry.status === "done" || entry.status === "reused") && !reported.has(entry.key)) {
        reported.add(entry.key);
        items.push(entry.item);
      }
    }
    // A retry that succeeds after its drop settled is reported on its own (only the new item).
    options.onBatchSettled?.(items);
  }

  function pump() {
    while (running < options.concurrency) {
      const next = entries.find((entry) => entry.status === "queued");
      if (!next) return;
      const file = files.get(next.key);
      if (!file) {
        patch(next.key, { status: "failed", message: "The file is no longer available; drop it again." });
        continue;
      }
      running++;
      patch(next.key, { status: "hashing", sent: 0, message: null });
      void start(next.key, file);
    }
  }

  async function start(key: string, file: UploadSource) {
    try {
      const outcome = await runUpload(file, options.api, {
        hash: options.hash,
        isCancelled: () => cancelRequested.has(key),
        onProgress: (progress) => patch(key, progress),
      });
      patch(key, { status: outcome.status, message: outcome.message, item: outcome.item, sent: outcome.status === "done" || outcome.status === "reused" ? file.size : (find(key)?.sent ?? 0) });
      if (outcome.item) options.onItem?.(outcome.item);
    } catch {
      patch(key, { status: "failed", message: "The upload stopped unexpectedly. Retry it." });
    } finally {
      running--;
      const entry = find(key);
      if (entry) settleBatch(entry.batch);
      pump();
    }
  }

  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: (): readonly UploadEntry[] => entries,

    /** One drop: `accepted` files are queued; `refused` ones (client-side checks) are listed with their reason. */
    add(accepted: readonly UploadSource[], refused: readonly { file: UploadSource; message: string }[] = []) {
      const batch = nextBatch++;
      const added: UploadEntry[] = [];
      for (const file of accepted) {
        const key = `u${nextKey++}`;
        files.set(key, file);
        added.push({ key, name: file.name, size: file.size, status: "queued", sent: 0, message: null, item: null, batch });
      }
      for (const { file, message } of refused) {
        added.push({ key: `u${nextKey++}`, name: file.name, size: file.size, status: "refused", sent: 0, message, item: null, batch });
      }
      if (added.length === 0) return;
      entries = [...entries, ...added];
      emit();
      if (accepted.length === 0) settleBatch(batch);
      pump();
    },

    /** Queued files are dropped at once; running ones stop before their next chunk (not once the server is checking). */
    cancel(key: string) {
      const entry = find(key);
      if (!entry || TERMINAL_STATUSES.has(entry.status) || entry.status === "checking") return;
      if (entry.status === "queued") {
        patch(key, { status: "cancelled", message: "Cancelled." });
        settleBatch(entry.batch);
        return;
      }
      cancelRequested.add(key);
      patch(key, { message: "Cancelling…" });
    },

    retry(key: string) {
      const entry = find(key);
      if (!entry || (entry.status !== "failed" && entry.status !== "cancelled") || !files.has(key)) return;
      cancelRequested.delete(key);
      patch(key, { status: "queued", sent: 0, message: null, item: null });
      pump();
    },

    /** Removes finished rows (uploaded, reused, refused, cancelled); failed ones stay for a retry. */
    clearFinished() {
      const keep = entries.filter((entry) => !TERMINAL_STATUSES.has(entry.status) || entry.status === "failed");
      for (const entry of entries) {
        if (!keep.includes(entry)) {
          files.delete(entry.key);
          cancelRequested.delete(entry.key);
          reported.delete(entry.key);
        }
      }
      entries = keep;
      emit();
    },
  };
}
