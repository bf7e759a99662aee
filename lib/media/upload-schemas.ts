/**
 * Inputs and results of the media server actions (chunked upload, URL import, delete). Plain zod
 * and constants: the browser uses the same schemas for instant feedback, the server to decide.
 */
import { z } from "zod";

import type { MediaItem } from "./library-types";
import { MEDIA_MAX_BYTES, UPLOAD_CHUNK_BYTES } from "./limits";

// The upload constants live in limits.ts (no zod), so the dropzone can use them without pulling zod
// into the media page's first load; re-exported here for the server side.
export { UPLOAD_CHUNK_BYTES, UPLOAD_CONCURRENCY, UPLOAD_STALE_MS } from "./limits";

/** Our own ids for in-progress uploads: 128 random bits as hex. Also the temp file's name, so strict. */
export const UploadIdSchema = z.string().regex(/^[0-9a-f]{32}$/, "This upload id is not valid.");

/** Gateway file ids as we accept them in URLs and paths (the live gateway uses 10 hex characters). */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MediaIdSchema = z.string().regex(MEDIA_ID_PATTERN, "This file id is not valid.");

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "The checksum must be 64 lower-case hex digits.");

export const BeginUploadSchema = z.object({
  // The raw name from the browser; safeDisplayName/validateMediaUpload make it safe at finish.
  name: z.string().min(1, "The file has no name.").max(1024, "The file name is too long."),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  // Null when the browser cannot hash (crypto.subtle needs a secure context): reuse is then decided at finish.
  sha256: Sha256Schema.nullable(),
});
export type BeginUploadInput = z.input<typeof BeginUploadSchema>;

export const UploadRefSchema = z.object({ uploadId: UploadIdSchema });

/** `uploadChunk` takes FormData {uploadId, index, chunk: Blob}: a Blob travels as raw multipart bytes, not base64. */
export const UploadChunkFormSchema = z
  .instanceof(FormData, { message: "The chunk must be sent as form data." })
  .transform((form): Record<string, unknown> => ({ uploadId: form.get("uploadId"), index: form.get("index"), chunk: form.get("chunk") }))
  .pipe(
    z.object({
      uploadId: UploadIdSchema,
      index: z.coerce.number().int().min(0).max(Math.ceil(MEDIA_MAX_BYTES / UPLOAD_CHUNK_BYTES)),
      chunk: z.instanceof(Blob, { message: "The chunk is missing." }),
    }),
  );

const ALLOWED_URL_SCHEMES = new Set(["http:", "https:"]);

/**
 * An address for files/add `url`. Only http(s): the gateway fetches it, and other schemes are either
 * meaningless to it (file:, data:, ftp:) or dangerous in our own UI (javascript:).
 */
export const MediaUrlSchema = z
  .string()
  .trim()
  .min(1, "Enter the address of the file, starting with https://")
  .max(2048, "This address is too long (at most 2048 characters).")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "This is not a complete web address. It should look like https://example.com/picture.jpg" });
      return;
    }
    if (!ALLOWED_URL_SCHEMES.has(url.protocol)) {
      const scheme = url.protocol.replace(/:$/, "").slice(0, 20);
      ctx.addIssue({ code: "custom", message: `Only http:// and https:// addresses can be imported (this one is ${scheme}:).` });
      return;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "Remove the user name and password from the address; the gateway must be able to download the file publicly." });
      return;
    }
    if (!url.hostname) ctx.addIssue({ code: "custom", message: "The address has no server name." });
  });

export const ImportUrlSchema = z.object({ url: MediaUrlSchema });
export type ImportUrlInput = z.input<typeof ImportUrlSchema>;

export const DeleteMediaSchema = z.object({ id: MediaIdSchema });

// ---------------------------------------------------------------------------------------------
// Success payloads (failures are the shared ActionFailure from lib/server/result.ts)
// ---------------------------------------------------------------------------------------------

/** Identical content is already in the library (and still at the gateway): nothing is uploaded. */
export type ReusedOutcome = { outcome: "reused"; item: MediaItem; message: string };
export type BeginUploadOk = ReusedOutcome | { outcome: "upload"; uploadId: string; chunkSize: number };
export type UploadChunkOk = { received: number };
export type FinishUploadOk = ReusedOutcome | { outcome: "uploaded"; item: MediaItem; message: string };
export type CancelUploadOk = { cancelled: boolean };
export type ImportUrlOk = { item: MediaItem; message: string };
export type DeleteMediaOk = { id: string; alreadyGone: boolean; message: string };
