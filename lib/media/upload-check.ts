/**
 * Server-side checks for an assembled upload, on top of validateMediaUpload (the one place that
 * decides type, extension and name). Sizes are judged from the announced/stat size before any byte
 * is read, the hash is computed by streaming, and the bytes are read into memory once.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";

import { MEDIA_MAX_BYTES, MEDIA_MAX_LABEL, formatFileSize } from "./limits";
import { safeDisplayName } from "./safe-name";
import { type MediaValidationResult, validateMediaUpload } from "./validate";

export type SizeRefusal = { code: "empty" | "too_large"; message: string };

/**
 * Refuses empty and oversized files from their size alone, so they never get uploaded. Wording
 * matches validateMediaUpload, which repeats both checks on the real bytes at finish.
 */
export async function refuseBySize(name: string, size: number): Promise<SizeRefusal | null> {
  if (size === 0) {
    const verdict = await validateMediaUpload({ name, bytes: new Uint8Array(0) });
    return verdict.ok ? null : { code: "empty", message: verdict.message };
  }
  if (size > MEDIA_MAX_BYTES) {
    return {
      code: "too_large",
      message: `"${safeDisplayName(name)}" is ${formatFileSize(size)}, but MMS attachments can be at most ${MEDIA_MAX_LABEL}. Make it smaller (for example resize the image or shorten the video) and upload it again.`,
    };
  }
  return null;
}

/** sha256 of a file, read in 64 KB pieces: hashing never needs the whole file in memory. */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const piece of fs.createReadStream(filePath)) hash.update(piece as Buffer);
  return hash.digest("hex");
}

export type StoredUploadCheck = { verdict: MediaValidationResult; bytes: Buffer | null };

/**
 * Validates an assembled upload against the brief's type table. Detection needs the whole file for
 * several families (a text file must be clean to its last byte, OLE2 directories and ICO/WBMP bodies
 * are checked against the real length), so after the size check the file is read exactly once and
 * the same buffer serves validation, the thumbnail and the gateway upload.
 */
export async function checkStoredUpload(filePath: string, name: string): Promise<StoredUploadCheck> {
  const { size } = await fs.promises.stat(filePath);
  const bySize = await refuseBySize(name, size);
  if (bySize) return { verdict: { ok: false, ...bySize }, bytes: null };
  const bytes = await fs.promises.readFile(filePath);
  const verdict = await validateMediaUpload({ name, bytes });
  return { verdict, bytes: verdict.ok ? bytes : null };
}
