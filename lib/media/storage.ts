/**
 * Our copies of library files (the gateway never gives bytes back): `<media dir>/<gateway id>` plus
 * `<id>.thumb.webp`, and streaming them back with safe headers.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

import { makeImageThumbnail, textSnippet } from "./preview";
import { MEDIA_CSP, type MediaServeHeaders, safeServeHeaders } from "./serve-headers";
import { parseByteRange } from "./storage-range";
import type { MediaKind } from "./type-table";
import { MEDIA_ID_PATTERN } from "./upload-schemas";

export function isMediaId(id: string): boolean {
  return MEDIA_ID_PATTERN.test(id);
}

export type MediaPaths = { file: string; thumbnail: string };

export function mediaPathsIn(mediaDir: string, gatewayId: string): MediaPaths {
  // Ids are checked against MEDIA_ID_PATTERN before they get here; basename is a second guard.
  const file = path.join(mediaDir, path.basename(gatewayId));
  return { file, thumbnail: `${file}.thumb.webp` };
}

export type StoredPreview = { hasThumbnail: boolean; textSnippet: string | null };

/** Thumbnail (raster images) or first lines (text); `bytes` is the validated content. */
export async function writePreview(paths: MediaPaths, bytes: Uint8Array | null, contentType: string, kind: MediaKind): Promise<StoredPreview> {
  // Without bytes in memory the stored copy is the source: libvips reads the image from disk and a
  // text snippet needs only the file's first few KB.
  const thumbnail = kind === "image" ? await makeImageThumbnail(bytes ?? paths.file, contentType) : null;
  if (thumbnail) await fs.promises.writeFile(paths.thumbnail, thumbnail);
  const textSnippetOf = async () => textSnippet(bytes ?? (await readPrefix(paths.file, TEXT_PREFIX_BYTES)));
  return { hasThumbnail: thumbnail !== null, textSnippet: kind === "text" ? await textSnippetOf() : null };
}

/** More than textSnippet ever decodes. */
const TEXT_PREFIX_BYTES = 16 * 1024;

/** The first `length` bytes of a file (fewer when it is shorter). */
export async function readPrefix(filePath: string, length: number): Promise<Uint8Array> {
  const handle = await fs.promises.open(filePath, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Moves an assembled upload into the library; falls back to copying when DATA_DIR spans devices. */
export async function moveIntoLibrary(fromPath: string, paths: MediaPaths): Promise<void> {
  await fs.promises.mkdir(path.dirname(paths.file), { recursive: true });
  try {
    await fs.promises.rename(fromPath, paths.file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await fs.promises.copyFile(fromPath, paths.file);
    await fs.promises.rm(fromPath, { force: true });
  }
}

export async function removeFromLibrary(paths: MediaPaths): Promise<void> {
  await Promise.all([fs.promises.rm(paths.file, { force: true }), fs.promises.rm(paths.thumbnail, { force: true })]);
}

/**
 * Streams a stored file (never buffered whole) with the given headers; honours one byte range.
 * Null when the file is missing.
 */
export async function streamStoredFile(filePath: string, headers: MediaServeHeaders | Record<string, string>, rangeHeader: string | null): Promise<Response | null> {
  let size: number;
  try {
    const stat = await fs.promises.stat(filePath);
    if (!stat.isFile()) return null;
    size = stat.size;
  } catch {
    return null;
  }
  const range = parseByteRange(rangeHeader, size);
  const common = { ...headers, "Accept-Ranges": "bytes" };
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...common, "Content-Range": `bytes */${size}` } });
  }
  const stream = fs.createReadStream(filePath, range ? { start: range.start, end: range.end } : {});
  const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  if (range) {
    return new Response(body, {
      status: 206,
      headers: { ...common, "Content-Length": String(range.end - range.start + 1), "Content-Range": `bytes ${range.start}-${range.end}/${size}` },
    });
  }
  return new Response(body, { status: 200, headers: { ...common, "Content-Length": String(size) } });
}

/**
 * Thumbnails are WebP files we rendered ourselves with sharp, not uploaded bytes, so they are
 * served as image/webp (a type outside the upload table, which safeServeHeaders would turn into a
 * download); every other protective header is the same as for originals.
 */
export function thumbnailHeaders(displayName: string): Record<string, string> {
  const base = safeServeHeaders("image/png", `${displayName}.webp`, "inline");
  return { ...base, "Content-Type": "image/webp", "Content-Security-Policy": MEDIA_CSP };
}
