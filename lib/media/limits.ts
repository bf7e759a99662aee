/**
 * Upload limits for MMS attachments. Client-safe (plain constants) so the dropzone can reject
 * oversized files before uploading them.
 */

/** Largest attachment accepted for upload to SerwerSMS.pl. */
export const MEDIA_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Bytes per uploadChunk call. Server actions cannot report upload progress, so progress is
 * "chunks acknowledged"; 2 MiB keeps each request well under the server action body limit
 * (next.config.ts) while a 20 MB file still needs only 10 round trips.
 */
export const UPLOAD_CHUNK_BYTES = 2 * 1024 * 1024;

/** Files uploaded in parallel from one dropzone. */
export const UPLOAD_CONCURRENCY = 2;

/** Temporary uploads without activity for this long are deleted (see upload-sessions.ts). */
export const UPLOAD_STALE_MS = 60 * 60 * 1000;

/** MEDIA_MAX_BYTES in words for messages and hints. */
export const MEDIA_MAX_LABEL = "20 MB";

/** Longest display name kept, in Unicode code points (extension included). */
export const MEDIA_NAME_MAX = 120;

/**
 * Human size for messages: "812 KB", "23.4 MB" (binary units, matching MEDIA_MAX_LABEL's "MB").
 * Rounds up, so a file one byte over the limit reads "20.1 MB" rather than a puzzling "20.0 MB".
 */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  const megabytes = Math.ceil((bytes / (1024 * 1024)) * 10) / 10;
  return `${megabytes >= 100 ? Math.ceil(megabytes) : megabytes.toFixed(1)} MB`;
}
