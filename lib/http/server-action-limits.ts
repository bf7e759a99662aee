/**
 * The most one server-action request may carry: next.config.ts sets serverActions.bodySizeLimit from
 * this (Next's default is 1 MB). Next buffers a whole action body in memory before any of our code
 * runs, so it is also the most one request can make the server hold. The largest bodies the app sends:
 *  - a media upload chunk: UPLOAD_CHUNK_BYTES (2 MiB, lib/media/limits.ts) plus multipart framing;
 *  - the composer's recipient list: at most RECIPIENT_LIST_MAX_BYTES (1.7 MB, lib/compose/limits.ts).
 * 4 MB leaves about twice the largest as headroom (server-action-limits.test.ts keeps them in step).
 *
 * Next refuses a body over the limit before our code runs, and the browser then only gets a 500 with
 * a digest (the action's promise rejects): it cannot learn why. So the browser checks its own bodies
 * against this limit before sending and explains, instead of waiting for an opaque failure.
 * See https://nextjs.org/docs/app/api-reference/config/next-config-js/serverActions#bodysizelimit
 * No imports: next.config.ts loads this file before the app is built.
 */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Room for one multipart part's boundary and headers (Content-Disposition with name and filename,
 * Content-Type), generously; React also adds a root row ("0") and a prefix to every entry's name.
 */
export const MULTIPART_PART_OVERHEAD_BYTES = 256;

const encoder = new TextEncoder();

/** An upper estimate of the bytes `form` takes as a server action's one FormData argument. */
export function actionFormBytes(form: FormData): number {
  let total = MULTIPART_PART_OVERHEAD_BYTES; // React's root row, which refers to the form
  form.forEach((value, key) => {
    total += MULTIPART_PART_OVERHEAD_BYTES + encoder.encode(key).length + (typeof value === "string" ? encoder.encode(value).length : value.size);
  });
  return total;
}

export function fitsInOneServerAction(bytes: number): boolean {
  return bytes <= SERVER_ACTION_BODY_LIMIT_BYTES;
}
