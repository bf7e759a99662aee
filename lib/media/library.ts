import "server-only";
import path from "node:path";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { type MediaFileRow, mediaRowsById } from "@/lib/db/queries/media";
import { getGatewayClient } from "@/lib/serwersms";
import type { GatewayFile, GatewayFileType } from "@/lib/serwersms/types";
import { extensionOf } from "./file-name";
import type { MediaItem, MediaLibraryPage, MediaPreviewKind } from "./library-types";
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
      // We hold the bytes, so we know their size even when the gateway's answer did not say.
      size: file.size ?? row.size,
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

/**
 * A library as a person sees it: files/index from the gateway (the source of truth), MMS files
 * joined with our copies. Voice files only ever arrive by URL in the SerwerSMS panel, so we never
 * hold their bytes: each one is listed with a type icon. Items of the answer that could not be read
 * come back as a count, for the "could not be read" note.
 */
export async function readLibrary(type: GatewayFileType, signal?: AbortSignal): Promise<MediaLibraryPage> {
  const { items: files, unreadable } = await getGatewayClient().files.index(type, signal);
  const rows = type === "mms" ? mediaRowsById(getAppDb()) : new Map<string, MediaFileRow>();
  return { items: files.map((file) => toMediaItem(file, rows.get(file.id))), unreadable: unreadable.length };
}

/** The MMS files alone (the composer's picker, campaign labels). */
export async function listLibrary(signal?: AbortSignal): Promise<MediaItem[]> {
  return (await readLibrary("mms", signal)).items;
}
