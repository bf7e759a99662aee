import "server-only";
import path from "node:path";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { type MediaFileRow, mediaRowsById } from "@/lib/db/queries/media";
import { getGatewayClient } from "@/lib/serwersms";
import type { GatewayFile } from "@/lib/serwersms/types";
import { extensionOf } from "./file-name";
import type { MediaItem, MediaPreviewKind } from "./library-types";
import { mediaPathsIn } from "./storage";
import { kindForContentType, lookupByExtension } from "./type-table";

/** Where our copies of uploaded files (and their thumbnails) live: `<DATA_DIR>/media/`. */
export function mediaStorageDir(): string {
  return path.join(getConfig().dataDir, "media");
}

export function mediaFilePath(gatewayId: string): string {
  return mediaPathsIn(mediaStorageDir(), gatewayId).file;
}

export function thumbnailPath(gatewayId: string): string {
  return mediaPathsIn(mediaStorageDir(), gatewayId).thumbnail;
}

function previewKind(row: MediaFileRow): MediaPreviewKind {
  if (row.contentType === "image/svg+xml") return "svg";
  if (row.hasThumbnail) return "image";
  if (row.kind === "audio" || row.kind === "video") return row.kind;
  if (row.kind === "text" && row.textSnippet !== null) return "text";
  return "icon";
}

/** One library entry: the gateway's facts, enriched with our copy when we have one. */
export function toMediaItem(file: GatewayFile, row: MediaFileRow | undefined): MediaItem {
  if (row?.hasBytes) {
    const encoded = encodeURIComponent(file.id);
    return {
      id: file.id,
      name: file.name || row.name,
      size: file.size,
      uploadedAt: file.uploadedAt,
      contentType: row.contentType,
      kind: (row.kind as MediaItem["kind"]) ?? null,
      hasCopy: true,
      preview: previewKind(row),
      fileUrl: `/api/media/${encoded}/file`,
      thumbnailUrl: row.hasThumbnail ? `/api/media/${encoded}/thumbnail` : null,
      textSnippet: row.textSnippet,
    };
  }
  // Uploaded elsewhere (panel, another tool): the gateway gives no bytes, so only the name hints at the type.
  const guess = lookupByExtension(extensionOf(file.name) ?? "")[0];
  return {
    id: file.id,
    name: file.name,
    size: file.size,
    uploadedAt: file.uploadedAt,
    contentType: guess?.contentType ?? null,
    kind: guess ? (kindForContentType(guess.contentType) ?? null) : null,
    hasCopy: false,
    preview: "icon",
    fileUrl: null,
    thumbnailUrl: null,
    textSnippet: null,
  };
}

/** The MMS library: files/index from the gateway (the source of truth) joined with our copies. */
export async function listLibrary(signal?: AbortSignal): Promise<MediaItem[]> {
  const files = await getGatewayClient().files.list("mms", signal);
  const rows = mediaRowsById(getAppDb());
  return files.map((file) => toMediaItem(file, rows.get(file.id)));
}

/**
 * Voice files (files/index type=voice) for the read-only voice tab. They only ever arrive by URL in
 * the SerwerSMS panel, so we never hold their bytes: each one is listed with a type icon.
 */
export async function listVoiceLibrary(signal?: AbortSignal): Promise<MediaItem[]> {
  const files = await getGatewayClient().files.list("voice", signal);
  return files.map((file) => toMediaItem(file, undefined));
}
