/**
 * Response headers for serving stored attachments back to the dashboard (previews, downloads).
 * Uploaded bytes are untrusted: every response is locked down so that even a file that slipped
 * through detection cannot run script in the dashboard's origin.
 */
import { safeDisplayName } from "@/lib/media/safe-name";
import { canonicalContentType, normalizeContentType } from "@/lib/media/type-table";

export const MEDIA_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/**
 * Types a browser only ever displays as passive media or plain text. Everything else (HTML, XML,
 * SMIL, PDF, office files, archives, unknown types) could be rendered as a document or handed to a
 * plug-in, so it is always sent as an attachment.
 */
function isPassiveInline(contentType: string): boolean {
  if (contentType === "text/plain") return true;
  if (contentType === "image/svg+xml") return false; // handled separately below
  return contentType.startsWith("image/") || contentType.startsWith("audio/") || contentType.startsWith("video/");
}

/** ASCII-only fallback for the legacy `filename=` parameter (Polish letters transliterated, the rest "_"). */
function asciiFallbackName(name: string): string {
  const transliterated = name
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
  const ascii = transliterated.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%;]/g, "_");
  return ascii.trim() === "" ? "file" : ascii;
}

/** RFC 5987 `ext-value` encoding: encodeURIComponent leaves `'()*` alone, which the attr-char grammar forbids. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type MediaServeHeaders = Record<
  | "Content-Type"
  | "Content-Disposition"
  | "X-Content-Type-Options"
  | "Content-Security-Policy"
  | "Cross-Origin-Resource-Policy"
  | "Cache-Control",
  string
>;

/**
 * Headers for serving one stored attachment. `contentType` should be the validated (canonical)
 * type; unknown types are served as application/octet-stream attachments.
 */
export function safeServeHeaders(contentType: string, displayName: string, disposition: "inline" | "attachment"): MediaServeHeaders {
  const normalized = normalizeContentType(contentType);
  const known = canonicalContentType(normalized);
  const type = known ?? "application/octet-stream";
  const name = safeDisplayName(displayName);
  const isCompressedSvg = /\.svgz$/i.test(name);

  let effective = disposition;
  if (disposition === "inline") {
    if (type === "image/svg+xml") {
      // SVG may contain <script> and event handlers. It is still allowed inline because:
      //  - the dashboard only ever displays it through <img src=…>, and browsers never run scripts,
      //    load external resources or follow links inside an SVG used as an image;
      //  - if someone opens the URL directly (top-level navigation), the CSP below applies:
      //    `sandbox` gives the document an opaque origin with scripts disabled, and
      //    `default-src 'none'` blocks every fetch, so the SVG cannot reach the dashboard or its cookies.
      // A gzip-compressed .svgz only renders with Content-Encoding: gzip, which this helper does not
      // negotiate, so it is offered as a download instead.
      effective = isCompressedSvg ? "attachment" : "inline";
    } else if (!isPassiveInline(type)) {
      effective = "attachment";
    }
  }

  const contentTypeHeader = type.startsWith("text/") ? `${type}; charset=utf-8` : type;

  return {
    "Content-Type": contentTypeHeader,
    "Content-Disposition": `${effective}; filename="${asciiFallbackName(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": MEDIA_CSP,
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, max-age=3600",
  };
}
