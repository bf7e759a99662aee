/**
 * Server-side previews for uploaded attachments: small raster thumbnails and text snippets.
 * Never rasterises SVG: the UI shows SVG only through <img> of the original, served with a
 * restrictive CSP (see serve-headers.ts), so there is no reason to run an SVG renderer on untrusted input here.
 */
import sharp from "sharp";

import { decodeText, isDisallowedControl } from "@/lib/media/text-decode";
import { canonicalContentType, normalizeContentType } from "@/lib/media/type-table";

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_MAX_SIZE = 320;

/** Decompression-bomb guard: a 20 MB PNG can claim billions of pixels. 40 MP covers any phone photo. */
const MAX_INPUT_PIXELS = 40_000_000;

// The raster formats libvips decodes among the allowed ones. ICO, DjVu and WBMP are not readable
// by sharp; SVG is deliberately excluded (see file comment).
const SHARP_FORMAT_FOR: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
};

/**
 * A WebP thumbnail (max 320×320, first frame of animations, EXIF orientation applied, metadata
 * stripped) or null when the content type has no raster preview or the image cannot be decoded.
 * `source` is the image's bytes or the path of a stored file (libvips then reads it from disk).
 */
export async function makeImageThumbnail(source: Uint8Array | string, contentType: string): Promise<Buffer | null> {
  const normalized = normalizeContentType(contentType);
  const expectedFormat = SHARP_FORMAT_FOR[canonicalContentType(normalized) ?? normalized];
  if (expectedFormat === undefined) return null;
  const options = { failOn: "none", limitInputPixels: MAX_INPUT_PIXELS, animated: false } as const;
  try {
    // libvips sniffs the bytes itself and can also load SVG, TIFF, PDF…: insist that it sees the
    // format the upload was validated as, so a mislabelled call never reaches another decoder.
    const metadata = await sharp(source, options).metadata();
    if (metadata.format !== expectedFormat) return null;
    return await sharp(source, { ...options, autoOrient: true })
      .resize(THUMBNAIL_MAX_SIZE, THUMBNAIL_MAX_SIZE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 72 })
      .toBuffer();
  } catch {
    return null;
  }
}

/** Drops an unfinished UTF-8 sequence at the end of a prefix so strict decoding still succeeds. */
function trimIncompleteUtf8(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  let continuation = 0;
  while (end > 0 && continuation < 3 && ((bytes[end - 1] ?? 0) & 0xc0) === 0x80) {
    end--;
    continuation++;
  }
  const lead = bytes[end - 1];
  if (lead === undefined || lead < 0xc0) return bytes;
  const needed = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
  return needed > continuation ? bytes.subarray(0, end - 1) : bytes;
}

const BIDI_AND_INVISIBLES = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060-\u2064\uFEFF]/g;

/**
 * First lines of a text attachment for the UI: UTF-8 or (fallback) windows-1250/ISO-8859-2,
 * control and bidi characters removed, tabs as spaces, at most `maxLines` lines and `maxChars`
 * code points ("…" marks a cut).
 */
export function textSnippet(bytes: Uint8Array, maxLines = 6, maxChars = 400): string {
  // Only a prefix is needed; decoding a 20 MB log to show six lines would be wasteful.
  const prefixLength = Math.max(4096, maxChars * 8);
  const truncatedInput = bytes.length > prefixLength;
  const prefix = truncatedInput ? trimIncompleteUtf8(bytes.subarray(0, prefixLength)) : bytes;
  const { text } = decodeText(prefix);

  let cleaned = "";
  for (const char of text.replace(/\r\n?/g, "\n").replace(BIDI_AND_INVISIBLES, "")) {
    if (char === "\n") cleaned += char;
    else if (char === "\t") cleaned += " ";
    else if (!isDisallowedControl(char.codePointAt(0) ?? 0) && char !== "\v" && char !== "\f") cleaned += char;
  }

  const allLines = cleaned.split("\n").map((line) => line.trimEnd());
  while (allLines.length > 0 && allLines[allLines.length - 1] === "") allLines.pop();
  let codePoints = [...allLines.slice(0, maxLines).join("\n")];
  const cut = truncatedInput || allLines.length > maxLines || codePoints.length > maxChars;
  if (!cut) return codePoints.join("");
  // Room for the ellipsis so the result never exceeds maxChars.
  codePoints = codePoints.slice(0, Math.max(0, maxChars - 1));
  return `${codePoints.join("").trimEnd()}…`;
}
