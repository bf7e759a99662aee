import { MAX_RECIPIENTS_PER_REQUEST } from "@/lib/sandbox/message-actions";
import type { BodyLimit } from "@/lib/sandbox/params";

/*
 * How much of a request body the sandbox reads, per action (issue 11 item 5: it used to take ~34 MB
 * of any request before looking at the credentials). Every cap is checked against Content-Length up
 * front and counted again while a body streams in (lib/http/read-body.ts), so nothing above it is
 * ever buffered.
 */

const KB = 1024;
const MB = 1024 * KB;

/**
 * A request without an Authorization header can only be judged by `username`/`password` inside its
 * body, and the official clients put those last (captured in the API reference §9.4: NODE, RUBY,
 * SYMF, BASH), so the whole body must be read first. 64 KB holds every call those clients make with
 * body credentials (a 200-number batch, the recommended 50–200 per request, is ~6 KB); bigger calls
 * must use the token. An anonymous caller can thus never make the sandbox hold more than this.
 */
export const UNAUTHENTICATED_BODY_LIMIT = 64 * KB;

/** Everything but the two actions below: ids, a type, a fault plan. */
export const SMALL_BODY_LIMIT = 256 * KB;

/**
 * 100 000 numbers (the gateway's per-request maximum) in the wordiest encoding a client uses, the
 * Node client's `phone%5B99999%5D=%2B` + 15 digits + `&` (≤ 36 bytes each, ~3.6 MB), plus a
 * 40-emoji title and a 2 000-character text, percent-encoded: 4 MB.
 */
export const SEND_MMS_BODY_LIMIT = 4 * MB;
// Guard the derivation above if the recipient maximum ever changes.
if (MAX_RECIPIENTS_PER_REQUEST * 36 + 64 * KB > SEND_MMS_BODY_LIMIT) throw new Error("SEND_MMS_BODY_LIMIT is too small for MAX_RECIPIENTS_PER_REQUEST");

/** Room for the other files/add fields and the multipart framing. */
export const FILE_UPLOAD_BODY_LIMIT_SLACK = 64 * KB;

/**
 * A file of `maxFileBytes` as base64 (4/3), in a form body where `+` and `/` (2 of the 64 symbols)
 * become 3-byte escapes and MIME line breaks (CRLF every 76 characters) become `%0D%0A`: ≈ 1.52 ×
 * the file. A multipart upload needs only the file plus framing.
 */
function fileUploadBodyLimit(maxFileBytes: number): number {
  return Math.ceil(maxFileBytes * 1.6) + FILE_UPLOAD_BODY_LIMIT_SLACK;
}

/** The most of a request body the sandbox reads for `action` once the caller is authenticated. */
export function bodyLimitFor(action: string, maxFileBytes: number): number {
  if (action === "files/add") return fileUploadBodyLimit(maxFileBytes);
  if (action === "messages/send_mms") return SEND_MMS_BODY_LIMIT;
  return SMALL_BODY_LIMIT;
}

/** "256 KB", "4 MB": how a cap is named in refusals. */
function formatBodyLimit(bytes: number): string {
  return bytes < MB ? `${Math.floor(bytes / KB)} KB` : `${Math.floor(bytes / MB)} MB`;
}

/** The body limit of a caller who passed the Bearer token. */
export function authenticatedBodyLimit(action: string, maxFileBytes: number): BodyLimit {
  const bytes = bodyLimitFor(action, maxFileBytes);
  return { bytes, refusal: `Request body exceeds ${formatBodyLimit(bytes)} for ${action}` };
}

/** The body limit of a caller who has not authenticated yet (no Authorization header). */
export const UNAUTHENTICATED_LIMIT: BodyLimit = {
  bytes: UNAUTHENTICATED_BODY_LIMIT,
  refusal:
    `Without an Authorization: Bearer header the request body may be at most ${formatBodyLimit(UNAUTHENTICATED_BODY_LIMIT)}, ` +
    "because username and password are read from small bodies only: send larger requests with the API token",
};
