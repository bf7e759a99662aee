/**
 * A full garbage collection for memory V8 does not count: the bytes of uploaded chunks.
 *
 * Why an upload needs one (bench P7, a 20 MB upload: the server's peak RSS growth must stay ≤ 1.5×
 * the file): every chunk reaches the server action as a Blob of ~2 MiB, and once a Blob has been
 * read in Node (its stream, arrayBuffer or text; upload-sessions.ts streams it to disk), its bytes
 * outlive young-generation collections and only a full (mark-compact) collection frees them; an
 * unread Blob goes with the next young collection. V8 starts full collections when its own heap
 * grows, and a chunk adds megabytes off the heap but little on it, so the chunks of a 20 MB upload
 * (with the request bodies they came in) piled up until V8 happened to run one: 16–29 MiB of growth
 * on the first upload of a fresh server (ratio 0.82–1.54 over 5 runs, depending only on when V8
 * collected). A collection every COLLECT_EVERY_BYTES written bounds the pile at a few chunks
 * (17–19 MiB, ratio 0.89–0.98 over 6 runs).
 */
import v8 from "node:v8";
import vm from "node:vm";

import { UPLOAD_CHUNK_BYTES } from "./limits";

/**
 * Chunk bytes written between two collections: every second chunk. Each costs a full collection of
 * the heap (tens of milliseconds); collecting after every chunk measured 6–7 MiB (2 runs), at twice the pauses.
 */
export const COLLECT_EVERY_BYTES = 2 * UPLOAD_CHUNK_BYTES;

type V8Gc = (options?: { type?: "major" | "minor"; execution?: "sync" | "async" }) => void;

const holder = globalThis as typeof globalThis & { __mmsFullGc?: V8Gc | null };

/**
 * V8's own gc(): the one --expose-gc gives, or else taken from a fresh context created while the flag
 * is on for that moment only (a fresh context gets gc() when the flag is set; this one is thrown
 * away and the flag turned off again, so no other code, and not globalThis, ever sees gc). Null when
 * the runtime refuses. Kept on globalThis: Next bundles this module more than once (see
 * upload-sessions.ts), and the flag is best flipped once per process.
 */
function fullGc(): V8Gc | null {
  if (holder.__mmsFullGc !== undefined) return holder.__mmsFullGc;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === "function") return (holder.__mmsFullGc = exposed as V8Gc);
  let gc: V8Gc | null = null;
  try {
    v8.setFlagsFromString("--expose-gc");
    const found: unknown = vm.runInNewContext("gc");
    if (typeof found === "function") gc = found as V8Gc;
  } catch {
    gc = null;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
  return (holder.__mmsFullGc = gc);
}

/**
 * Asks V8 for a full collection, run as a task of its own right after the current one (so the
 * chunk's answer is not held up by it). False when no collection could be asked for. Async on
 * purpose also because Node 20's V8 runs only a young collection for a synchronous {type: "major"}
 * (reclaim.test.ts checks for the forced mark-compact).
 */
export function collectGarbage(): boolean {
  const gc = fullGc();
  if (!gc) return false;
  gc({ type: "major", execution: "async" });
  return true;
}

/** Whether the chunk that brought an upload to `received` bytes (of `bytes` bytes) crossed a multiple of `everyBytes`. */
export function crossedCollectionPoint(received: number, bytes: number, everyBytes: number): boolean {
  return Math.floor(received / everyBytes) > Math.floor((received - bytes) / everyBytes);
}
