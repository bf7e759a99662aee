/** What the browser receives about a library file. Plain data: importable from client components. */
import type { MediaKind } from "./type-table";

export type { MediaKind };

export type MediaPreviewKind = "image" | "svg" | "audio" | "video" | "text" | "icon";

export type MediaItem = {
  /** The gateway's file id (what send_mms takes as file_id). */
  id: string;
  name: string;
  /** Bytes; null when neither the gateway nor our copy says. */
  size: number | null;
  /** Gateway timestamp `YYYY-MM-DD HH:MM:SS`, Warsaw time; null when the gateway's answer did not say. */
  uploadedAt: string | null;
  /** Known from our own copy; for files uploaded elsewhere, guessed from the name's extension (or null). */
  contentType: string | null;
  kind: MediaKind | null;
  /** True when we hold the bytes (uploaded or imported through this app). */
  hasCopy: boolean;
  /** How the UI previews it; "icon" = type icon with "no preview". */
  preview: MediaPreviewKind;
  /** Original bytes (safe headers), when hasCopy. */
  fileUrl: string | null;
  /** Small WebP, for raster images we hold. */
  thumbnailUrl: string | null;
  /** First lines of a text file we hold. */
  textSnippet: string | null;
};

/** One library list, and how many items of the gateway's answer could not be read (they are not in `items`). */
export type MediaLibraryPage = { items: MediaItem[]; unreadable: number };

export type MediaListResponse = { ok: true } & MediaLibraryPage;
