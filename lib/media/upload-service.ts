import "server-only";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { getConfig } from "@/lib/config/env";
import { type AppDatabase, getAppDb } from "@/lib/db";
import { deleteMediaRow, insertMediaRow, type MediaFileRow, mediaRowBySha, mediaRowsById } from "@/lib/db/queries/media";
import { uploadLeaseStore } from "@/lib/db/queries/upload-leases";
import type { GuardContext } from "@/lib/server/guard";
import { type ActionResult, failure } from "@/lib/server/result";
import { getGatewayClient, type GatewayClient } from "@/lib/serwersms";
import type { GatewayFile } from "@/lib/serwersms/types";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";

import { INVALID_ID, quoteRefusal } from "@/lib/serwersms/error-codes";
import { GatewayError } from "@/lib/serwersms/errors";
import { mediaStorageDir, toMediaItem } from "./library";
import { safeDisplayName } from "./safe-name";
import { isMediaId, mediaPathsIn, moveIntoLibrary, removeFromLibrary, writePreview } from "./storage";
import { COLLECT_EVERY_BYTES, collectGarbage, crossedCollectionPoint } from "./reclaim";
import { checkStoredUpload, sha256OfFile } from "./upload-check";
import type {
  BeginUploadOk,
  CancelUploadOk,
  DeleteMediaOk,
  FinishUploadOk,
  ImportUrlOk,
  ReusedOutcome,
  UploadChunkOk,
} from "./upload-schemas";
import { createKeyedLocks, createUploadSessions, UploadSessionError, type UploadSessions } from "./upload-sessions";
import { type MediaValidationResult, refuseBySize } from "./validate";

type Ctx = Pick<GuardContext, "user" | "audit">;
type Validated = Extract<MediaValidationResult, { ok: true }>;

export type MediaServiceDeps = {
  db: AppDatabase;
  gateway: Pick<GatewayClient, "files">;
  sessions: UploadSessions;
  /** Where our copies live (library.ts: `<DATA_DIR>/media`). */
  mediaDir: string;
  now?: () => number;
  /** How the memory of written chunks is freed (./reclaim.ts); tests count the collections. */
  reclaim?: { collect: () => void; everyBytes: number };
};

/**
 * Uploads (chunked), URL imports and deletes for the MMS library. The gateway is the source of
 * truth for what exists; `media_files` rows and the files beside them are our copies and previews.
 */
export function createMediaService(deps: MediaServiceDeps) {
  const { db, gateway, sessions, mediaDir } = deps;
  const now = deps.now ?? Date.now;
  const reclaim = deps.reclaim ?? { collect: collectGarbage, everyBytes: COLLECT_EVERY_BYTES };

  async function forget(gatewayId: string): Promise<void> {
    if (isMediaId(gatewayId)) await removeFromLibrary(mediaPathsIn(mediaDir, gatewayId));
    deleteMediaRow(db, gatewayId);
  }

  /**
   * A library file with exactly these bytes that the gateway still has. Rows whose file was deleted
   * at the gateway behind our back (SerwerSMS panel, another tool) are dropped on the way.
   */
  async function findReusable(sha256: string): Promise<{ row: MediaFileRow; file: GatewayFile } | null> {
    for (let row = mediaRowBySha(db, sha256); row; row = mediaRowBySha(db, sha256)) {
      try {
        return { row, file: await gateway.files.view(row.gatewayId) };
      } catch (error) {
        if (!(error instanceof GatewayError && error.code === INVALID_ID)) throw error;
        await forget(row.gatewayId);
      }
    }
    return null;
  }

  function reused({ row, file }: { row: MediaFileRow; file: GatewayFile }, ctx: Ctx): { ok: true } & ReusedOutcome {
    ctx.audit("upload_reused", row.gatewayId, { bytes: row.size });
    const item = toMediaItem(file, row);
    return { ok: true, outcome: "reused", item, message: `Already in the library as ${item.name}: reused, not uploaded again.` };
  }

  /** The gateway's own record (name, date); if files/view hiccups, what we know locally is good enough. */
  async function gatewayRecord(id: string, fallbackName: string, fallbackSize: number): Promise<GatewayFile> {
    try {
      return await gateway.files.view(id);
    } catch {
      return { id, name: fallbackName, size: fallbackSize, type: "mms", uploadedAt: formatGatewayTimestamp(new Date(now())) };
    }
  }

  /**
   * Stores our copy of an upload and its preview, then the row. The file is already at the gateway by
   * now, so a local failure (disk full, permissions) must not lose it: the row is kept without bytes
   * and the library shows the file with "no preview".
   */
  async function keepCopy(input: {
    gatewayId: string;
    verdict: Validated;
    /** The assembled upload on disk, moved into the library. */
    assembledAt: string;
    uploadedBy: number;
  }): Promise<MediaFileRow> {
    const { gatewayId, verdict } = input;
    let stored = { hasBytes: false, hasThumbnail: false, textSnippet: null as string | null };
    if (isMediaId(gatewayId)) {
      const paths = mediaPathsIn(mediaDir, gatewayId);
      try {
        await moveIntoLibrary(input.assembledAt, paths);
        stored = { hasBytes: true, ...(await writePreview(paths, null, verdict.contentType, verdict.kind)) };
      } catch (error) {
        console.error(`[media] could not keep a copy of ${gatewayId} (ref ${randomUUID().slice(0, 8)}):`, error);
        await removeFromLibrary(paths).catch(() => undefined);
      }
    }
    const row: MediaFileRow = {
      gatewayId,
      sha256: verdict.sha256,
      name: verdict.displayName,
      contentType: verdict.contentType,
      kind: verdict.kind,
      size: verdict.size,
      ...stored,
      source: "upload",
      sourceUrl: null,
      uploadedBy: input.uploadedBy,
      createdAt: now(),
    };
    insertMediaRow(db, row);
    return row;
  }

  function sessionFailure(error: unknown) {
    if (error instanceof UploadSessionError) return failure(error.code, error.message);
    throw error;
  }

  return {
    findReusable,

    /** Size checks, then reuse by hash, else opens a chunked upload. */
    async beginUpload(input: { name: string; size: number; sha256: string | null }, ctx: Ctx): Promise<ActionResult<BeginUploadOk>> {
      const refusal = refuseBySize(input.name, input.size);
      if (refusal) return failure("invalid", refusal.message);
      if (input.sha256) {
        const existing = await findReusable(input.sha256);
        if (existing) return reused(existing, ctx);
      }
      try {
        await sessions.sweep();
        const meta = await sessions.begin({ ownerId: ctx.user.id, name: input.name, size: input.size, sha256: input.sha256 });
        return { ok: true, outcome: "upload", uploadId: meta.uploadId, chunkSize: meta.chunkSize };
      } catch (error) {
        return sessionFailure(error);
      }
    },

    async uploadChunk(input: { uploadId: string; index: number; chunk: Blob }, ctx: Ctx): Promise<ActionResult<UploadChunkOk>> {
      if (input.chunk.size > sessions.chunkSize) {
        return failure("invalid", `A chunk may be at most ${sessions.chunkSize} bytes; this one has ${input.chunk.size}.`);
      }
      try {
        const { received, complete } = await sessions.append({ uploadId: input.uploadId, ownerId: ctx.user.id, index: input.index, bytes: input.chunk });
        // The chunks just written wait for a full collection (./reclaim.ts); after the last one, so
        // the finish (hash, check, gateway upload) starts without them.
        if (complete || crossedCollectionPoint(received, input.chunk.size, reclaim.everyBytes)) reclaim.collect();
        return { ok: true, received };
      } catch (error) {
        return sessionFailure(error);
      }
    },

    /**
     * Verifies the announced hash, reuses identical content (also when a concurrent upload of the
     * same bytes finished first), validates, sends to the gateway and keeps our copy + preview.
     */
    async finishUpload(input: { uploadId: string }, ctx: Ctx): Promise<ActionResult<FinishUploadOk>> {
      try {
        return await sessions.finish({ uploadId: input.uploadId, ownerId: ctx.user.id }, async (meta, tempPath): Promise<ActionResult<FinishUploadOk>> => {
          const sha256 = await sha256OfFile(tempPath);
          if (meta.sha256 !== null && meta.sha256 !== sha256) {
            return failure("invalid", `"${safeDisplayName(meta.name)}" arrived damaged or changed during the upload (its checksum does not match). Upload it again.`);
          }
          // One finisher per content, over every instance: the second of two identical uploads waits, then reuses the first.
          return sessions.withLock(`sha:${sha256}`, async (): Promise<ActionResult<FinishUploadOk>> => {
            const existing = await findReusable(sha256);
            if (existing) return reused(existing, ctx);

            const { verdict } = await checkStoredUpload(tempPath, meta.name, sha256);
            if (!verdict.ok) return failure("invalid", verdict.message);

            let gatewayId: string;
            try {
              // Streamed from the assembled temp file: a 20 MB video is never held in memory whole.
              const file = await fs.openAsBlob(tempPath, { type: verdict.contentType });
              ({ id: gatewayId } = await gateway.files.upload({ bytes: file, name: verdict.displayName, contentType: verdict.contentType }));
            } catch (error) {
              // Any error envelope from files/add refuses this file: the docs (§3.1, §4) give no
              // file-error codes (1006 is only how our sandbox answers), so the gateway's own words
              // say why (2000 included: the gateway did not find `file` in the encoding sent, an explicit
              // SERWERSMS_UPLOAD_ENCODING it does not read; lib/serwersms/upload.ts). "invalid" makes the upload "refused" in the browser (upload-runner.ts):
              // the same bytes cannot do better on a retry.
              if (error instanceof GatewayError) return failure("invalid", quoteRefusal(`The gateway refused "${verdict.displayName}"`, error));
              throw error;
            }
            const row = await keepCopy({ gatewayId, verdict, assembledAt: tempPath, uploadedBy: ctx.user.id });
            ctx.audit("upload", gatewayId, { bytes: verdict.size });
            const item = toMediaItem(await gatewayRecord(gatewayId, verdict.displayName, verdict.size), row);
            return { ok: true, outcome: "uploaded", item, message: `Uploaded ${item.name}.` };
          });
        });
      } catch (error) {
        return sessionFailure(error);
      }
    },

    async cancelUpload(input: { uploadId: string }, ctx: Ctx): Promise<ActionResult<CancelUploadOk>> {
      try {
        return { ok: true, cancelled: await sessions.cancel({ uploadId: input.uploadId, ownerId: ctx.user.id }) };
      } catch (error) {
        return sessionFailure(error);
      }
    },

    /**
     * files/add with `url`: the gateway downloads the file, never this app. No gateway can give the
     * bytes back (the sandbox's old files/download was its own invention, issue 12 item 6), so an
     * imported file is listed without a preview, and the gateway's own check is the one that counts.
     */
    async importFromUrl(input: { url: string }, ctx: Ctx): Promise<ActionResult<ImportUrlOk>> {
      let id: string;
      try {
        ({ id } = await gateway.files.addFromUrl({ url: input.url }));
      } catch (error) {
        // As for uploads: any error envelope from files/add refuses this address, in the gateway's words.
        if (error instanceof GatewayError) {
          const message = quoteRefusal("The gateway could not import this address", error);
          return failure("invalid", message, { url: [message] });
        }
        throw error;
      }
      const file = await gatewayRecord(id, nameFromUrl(input.url), 0);
      const item = toMediaItem(file, undefined);
      ctx.audit("import_url", id, { bytes: file.size, copy: item.hasCopy });
      return { ok: true, item, message: `Imported ${item.name}. The gateway does not give files back, so it is listed without a preview.` };
    },

    /** files/delete, then our copy and row. An id the gateway no longer knows is removed locally anyway. */
    async deleteMedia(input: { id: string }, ctx: Ctx): Promise<ActionResult<DeleteMediaOk>> {
      let alreadyGone = false;
      try {
        if (!(await gateway.files.remove(input.id))) {
          return failure("gateway", "The gateway did not confirm the deletion. Refresh the library and try again.");
        }
      } catch (error) {
        if (!(error instanceof GatewayError && error.code === INVALID_ID)) throw error;
        alreadyGone = true;
      }
      const name = mediaRowsById(db, [input.id]).get(input.id)?.name ?? `file ${input.id}`;
      await forget(input.id);
      ctx.audit("delete_media", input.id, { alreadyGone });
      const message = alreadyGone
        ? `${name} was already gone at the gateway; it has been removed from the library.`
        : `Deleted ${name}.`;
      return { ok: true, id: input.id, alreadyGone, message };
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;

/** The last path segment, as a safe display name ("imported-file" when there is none). */
function nameFromUrl(url: string): string {
  const segment = new URL(url).pathname.split("/").pop() ?? "";
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Malformed %-escapes: keep the raw segment.
  }
  return decoded.trim() === "" ? "imported-file" : safeDisplayName(decoded);
}

/**
 * The service wired to this process's database, gateway and data directory. Its upload locks are
 * leases in that database: other instances on the same data folder take chunks of the same uploads.
 */
export function getMediaService(): MediaService {
  const db = getAppDb();
  return createMediaService({
    db,
    gateway: getGatewayClient(),
    sessions: createUploadSessions({ dir: path.join(getConfig().dataDir, "uploads"), locks: createKeyedLocks({ leases: uploadLeaseStore(db) }) }),
    mediaDir: mediaStorageDir(),
  });
}
