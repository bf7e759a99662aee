/**
 * Server-side checks for an assembled upload, on top of validate.ts (the one place that
 * decides type, extension and name). Sizes are judged from the announced/stat size before any byte
 * is read, the hash is computed by streaming, and large media is judged from its head.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";

import { fileTypeFromFile } from "file-type";

import { detectMediaType, detectMediaTypeFromHead } from "./detect";
import { readPrefix } from "./storage";
import { type MediaValidationResult, validateMedia } from "./validate";

/** Bytes hashed per read: one buffer, reused. */
const HASH_READ_BYTES = 1024 * 1024;

/**
 * sha256 of a file, read piece by piece into one reused buffer: hashing a 20 MB upload neither holds
 * it in memory nor leaves 20 MB of read buffers behind for the garbage collector.
 */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(HASH_READ_BYTES);
  const handle = await fs.promises.open(filePath, "r");
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/** Bytes read from the start of a stored upload: far beyond any header detectMediaTypeFromHead needs. */
const HEAD_BYTES = 64 * 1024;

/** `readWhole`: whether the file had to be read into memory whole to be judged. */
export type StoredUploadCheck = { verdict: MediaValidationResult; readWhole: boolean };

/**
 * Validates an assembled upload against the brief's type table, with the same rules and messages as
 * validateMediaUpload. Media formats decided by their header (photos, audio, video: the large
 * uploads) are judged from the first 64 KB, so a 20 MB video never sits in the server's memory.
 * Text, containers with directories (OLE2, ZIP) and formats checked against their real length
 * (ICO, WBMP, DjVu) are read whole, once: a text file must be clean to its last byte.
 */
export async function checkStoredUpload(filePath: string, name: string, sha256?: string): Promise<StoredUploadCheck> {
  const { size } = await fs.promises.stat(filePath);
  let readWhole = false;
  const verdict = await validateMedia({
    name,
    size,
    sha256: () => sha256 ?? sha256OfFile(filePath),
    detect: async (hintName) => {
      const [fileType, head] = await Promise.all([fileTypeFromFile(filePath).catch(() => undefined), readPrefix(filePath, HEAD_BYTES)]);
      const fromHead = await detectMediaTypeFromHead(fileType, head, hintName);
      if (fromHead !== undefined) return fromHead;
      readWhole = true;
      return detectMediaType(await fs.promises.readFile(filePath), hintName);
    },
  });
  return { verdict, readWhole };
}
