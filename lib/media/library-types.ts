/** What the browser receives about a library file. Plain data: importable from client components. */
import type { MediaKind } from "./type-table";

export type { MediaKind };

export type MediaPreviewKind = "image" | "svg" | "audio" | "video" | "text" | "icon";

export type MediaItem = {
  /** The gateway's file id (what send_mms takes as file_id). */
  id: string;
  name: string;
  size: number;
  /** Gateway timestamp `YYYY-MM-DD HH:MM:SS`, Warsaw time. */
  uploadedAt: string;
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

export type MediaListResponse = { ok: true; items: MediaItem[] };
