/**
 * Uploads one file through the chunked server actions: hash → begin → chunks → finish.
 * Framework-free (the actions are injected) so the sequencing is unit-tested without a browser.
 */
import { formatBytes } from "@/lib/format/units";
import { actionFormBytes, fitsInOneServerAction, SERVER_ACTION_BODY_LIMIT_BYTES } from "@/lib/http/server-action-limits";
import type { MediaItem } from "@/lib/media/library-types";
import type { BeginUploadInput, BeginUploadOk, CancelUploadOk, FinishUploadOk, UploadChunkOk } from "@/lib/media/upload-schemas";
import type { ActionFailure, ActionResult } from "@/lib/server/result";

export type UploadApi = {
  begin(input: BeginUploadInput): Promise<ActionResult<BeginUploadOk>>;
  chunk(form: FormData): Promise<ActionResult<UploadChunkOk>>;
  finish(input: { uploadId: string }): Promise<ActionResult<FinishUploadOk>>;
  cancel(input: { uploadId: string }): Promise<ActionResult<CancelUploadOk>>;
};

export type UploadStatus = "queued" | "hashing" | "uploading" | "checking" | "done" | "reused" | "refused" | "failed" | "cancelled";
export type TerminalStatus = Extract<UploadStatus, "done" | "reused" | "refused" | "failed" | "cancelled">;

export const TERMINAL_STATUSES: ReadonlySet<UploadStatus> = new Set<UploadStatus>(["done", "reused", "refused", "failed", "cancelled"]);

export type UploadProgress = { status: Exclude<UploadStatus, TerminalStatus>; sent: number };
export type UploadOutcome = { status: TerminalStatus; message: string; item: MediaItem | null };

/** A file as the runner needs it: a browser File, or any Blob with a name (tests). */
export type UploadSource = Blob & { readonly name: string };

/** Lower-case hex sha256, or null where the browser offers no crypto.subtle (plain-HTTP origins). */
export async function sha256Hex(file: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest("SHA-256", await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * A server action whose promise rejects: the connection dropped, the server restarted, or Next refused
 * the body before our code ran (over the limit or unreadable: the browser then only gets a 500 with a
 * digest, lib/http/server-action-limits.ts). The browser cannot tell these apart; all are worth a retry.
 */
const INTERRUPTED =
  "The connection to the server was interrupted before it answered, or the server could not read the request. Check your network, then press Retry.";

/** The only cause of a refused body the browser can know: a part bigger than one action may carry. */
function partTooLarge(form: FormData, chunkSize: number): string | null {
  if (fitsInOneServerAction(actionFormBytes(form))) return null;
  return (
    `This file is sent in parts of ${formatBytes(chunkSize)}, which is more than the server accepts in one request (${formatBytes(SERVER_ACTION_BODY_LIMIT_BYTES)}). ` +
    "Nothing was uploaded. Ask an administrator to check the upload settings."
  );
}

/** A server action that throws (network drop, 413, server restart) becomes an ordinary failure. */
async function settle<T extends object>(call: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await call();
  } catch {
    return { ok: false, code: "internal", message: INTERRUPTED, fieldErrors: {} };
  }
}

/**
 * Only the server's content verdicts ("invalid" from begin or finish) are refusals: retrying the same
 * file cannot help. Everything else (gateway down, rate limit, dropped connection) can be retried.
 */
function ended(result: ActionFailure, refusable: boolean): UploadOutcome {
  return { status: refusable && result.code === "invalid" ? "refused" : "failed", message: result.message, item: null };
}

const CANCELLED: UploadOutcome = { status: "cancelled", message: "Cancelled.", item: null };

export async function runUpload(
  file: UploadSource,
  api: UploadApi,
  hooks: {
    onProgress: (progress: UploadProgress) => void;
    isCancelled: () => boolean;
    hash?: (file: Blob) => Promise<string | null>;
  },
): Promise<UploadOutcome> {
  const hash = hooks.hash ?? sha256Hex;
  hooks.onProgress({ status: "hashing", sent: 0 });
  let sha256: string | null;
  try {
    sha256 = await hash(file);
  } catch {
    // Hashing only enables reuse before uploading; the server hashes again at finish anyway.
    sha256 = null;
  }
  if (hooks.isCancelled()) return CANCELLED;

  const begun = await settle(() => api.begin({ name: file.name, size: file.size, sha256 }));
  if (!begun.ok) return ended(begun, true);
  if (begun.outcome === "reused") return { status: "reused", message: begun.message, item: begun.item };

  const { uploadId, chunkSize } = begun;
  const abandon = async () => {
    await settle(() => api.cancel({ uploadId }));
  };
  hooks.onProgress({ status: "uploading", sent: 0 });
  for (let index = 0, offset = 0; offset < file.size; index++, offset += chunkSize) {
    if (hooks.isCancelled()) {
      await abandon();
      return CANCELLED;
    }
    const form = new FormData();
    form.set("uploadId", uploadId);
    form.set("index", String(index));
    form.set("chunk", file.slice(offset, Math.min(offset + chunkSize, file.size)));
    const tooLarge = partTooLarge(form, chunkSize);
    if (tooLarge) {
      await abandon();
      return { status: "failed", message: tooLarge, item: null };
    }
    const stored = await settle(() => api.chunk(form));
    if (!stored.ok) {
      await abandon();
      return ended(stored, false);
    }
    hooks.onProgress({ status: "uploading", sent: stored.received });
  }
  if (hooks.isCancelled()) {
    await abandon();
    return CANCELLED;
  }

  // From here the server validates and sends to the gateway; that step cannot be cancelled.
  hooks.onProgress({ status: "checking", sent: file.size });
  const finished = await settle(() => api.finish({ uploadId }));
  if (!finished.ok) return ended(finished, true);
  return { status: finished.outcome === "reused" ? "reused" : "done", message: finished.message, item: finished.item };
}
