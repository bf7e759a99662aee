/**
 * Server-side gate for MMS attachment uploads: size, type by content, name/extension consistency
 * and a safe display name, in that order, with messages written for the marketing staff who upload.
 */
import { createHash } from "node:crypto";

import { type DetectMediaResult, detectMediaType, isExtensionConsistent, type DetectedType, type MediaKind } from "@/lib/media/detect";
import { splitExtension } from "@/lib/media/file-name";
import { MEDIA_MAX_BYTES, MEDIA_MAX_LABEL, formatFileSize } from "@/lib/media/limits";
import { hasBidiControls, safeDisplayName } from "@/lib/media/safe-name";
import {
  ALLOWED_EXTENSIONS,
  canonicalContentTypesForExtension,
  defaultExtensionFor,
  describeContentType,
  normalizeContentType,
} from "@/lib/media/type-table";

export type MediaValidationResult =
  | { ok: true; contentType: string; extension: string; kind: MediaKind; displayName: string; size: number; sha256: string }
  | { ok: false; code: "empty" | "too_large" | "type_not_allowed" | "extension_mismatch" | "bad_name"; message: string };

export type MediaUploadInput = {
  name: string;
  bytes: Uint8Array;
  /** What the browser claimed (File.type). Never trusted; only a tie-breaker when the name has no extension. */
  declaredType?: string;
};

/**
 * Extensions of formats outside the allow-list. A suffix listed here (or in the allow-list) is
 * treated as the file's claimed type; any other suffix ("summer.sale") is just part of the name
 * and the real extension is appended instead of bothering the user with a mismatch.
 */
const OTHER_KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  "webp", "heic", "heif", "avif", "bmp", "tif", "tiff", "psd", "jxl", "jp2", "cur", "icns", "eps", "ps", "ai",
  "mkv", "webm", "flv", "f4v", "wmv", "m4v", "mts", "m2ts", "ts", "vob", "rm", "rmvb",
  "m4a", "m4b", "aac", "flac", "amr", "opus", "oga", "wv", "ape", "m3u8",
  "docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pptx", "pptm", "ppsx", "odt", "ods", "odp", "odg", "ott", "ots", "otp", "pages", "numbers", "key", "epub", "mobi",
  "rar", "7z", "gz", "bz2", "xz", "zst", "lz", "lzh", "arj", "iso", "dmg", "img",
  "exe", "msi", "dll", "com", "scr", "bat", "cmd", "ps1", "vbs", "js", "mjs", "jar", "apk", "ipa", "app", "deb", "rpm", "sh", "lnk", "reg", "swf",
  "html", "htm", "xhtml", "shtml", "mht", "mhtml", "xml", "xsl", "json", "php", "asp", "aspx", "jsp", "css", "md", "ics", "vtt", "srt",
  "ttf", "otf", "woff", "woff2", "sqlite", "db", "msg", "eml", "pst",
]);

/** Labels for the extensions that name one specific encoding (see isExtensionConsistent). */
const ENCODING_LABELS: Readonly<Record<string, { label: string; noun: string }>> = {
  svgz: { label: "a compressed SVG image (.svgz)", noun: "image" },
  tgz: { label: "a compressed TAR archive (.tgz)", noun: "archive" },
  ram: { label: "a RealAudio stream list (.ram)", noun: "stream list" },
  asx: { label: "a Windows Media playlist (.asx)", noun: "playlist" },
};

function describeDetected(type: DetectedType): { label: string; noun: string } {
  return ENCODING_LABELS[type.extension] ?? describeContentType(type.contentType);
}

function describeClaimed(extension: string): { label: string; noun: string } | undefined {
  const byEncoding = ENCODING_LABELS[extension];
  if (byEncoding) return byEncoding;
  const contentType = canonicalContentTypesForExtension(extension)[0];
  return contentType === undefined ? undefined : describeContentType(contentType);
}

function mismatchMessage(shownName: string, claimedExt: string, detected: DetectedType): string {
  const actual = describeDetected(detected).label;
  const claimed = describeClaimed(claimedExt);
  if (claimed === undefined) {
    return `"${shownName}" is ${actual}, not a .${claimedExt} file: rename it to .${detected.extension} and upload it again.`;
  }
  return `"${shownName}" is ${actual}, not ${claimed.label}: rename it to .${detected.extension} or upload the real ${claimed.noun}.`;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export type SizeRefusal = { code: "empty" | "too_large"; message: string };

/**
 * Empty and oversized files, refused from their size alone: the first checks of every validation,
 * and what beginUpload says before any byte is uploaded.
 */
export function refuseBySize(name: string, size: number): SizeRefusal | null {
  const shownName = safeDisplayName(name);
  if (size === 0) {
    return { code: "empty", message: `"${shownName}" is empty (0 bytes). Check the file on your computer and upload it again.` };
  }
  if (size > MEDIA_MAX_BYTES) {
    return {
      code: "too_large",
      message: `"${shownName}" is ${formatFileSize(size)}, but MMS attachments can be at most ${MEDIA_MAX_LABEL}. Make it smaller (for example resize the image or shorten the video) and upload it again.`,
    };
  }
  return null;
}

/**
 * Validates one upload held in memory. Order: empty → too_large → type by content → extension
 * consistent with the content → name. A name without an extension is fine: the detected extension
 * is appended.
 */
export async function validateMediaUpload(input: MediaUploadInput): Promise<MediaValidationResult> {
  const { bytes } = input;
  return validateMedia({
    name: input.name,
    declaredType: input.declaredType,
    size: bytes.byteLength,
    sha256: () => sha256Hex(bytes),
    detect: (hintName) => detectMediaType(bytes, hintName),
  });
}

export type StoredMediaInput = {
  name: string;
  declaredType?: string;
  size: number;
  /** Asked for only once the file passed every check. */
  sha256: () => string | Promise<string>;
  /** The content verdict (detectMediaType or an equivalent that reads less), given the hint name. */
  detect: (hintName: string | undefined) => Promise<DetectMediaResult>;
};

/** validateMediaUpload for content that is not in memory (an assembled upload on disk): same rules, same messages. */
export async function validateMedia(input: StoredMediaInput): Promise<MediaValidationResult> {
  const { size } = input;
  const shownName = safeDisplayName(input.name);

  const bySize = refuseBySize(input.name, size);
  if (bySize) return { ok: false, ...bySize };

  const suffix = splitExtension(shownName).extension?.toLowerCase();
  const claimedExt = suffix !== undefined && (ALLOWED_EXTENSIONS.has(suffix) || OTHER_KNOWN_EXTENSIONS.has(suffix)) ? suffix : undefined;

  let hintName: string | undefined;
  if (claimedExt !== undefined) {
    hintName = shownName;
  } else if (input.declaredType !== undefined) {
    const declaredExt = defaultExtensionFor(normalizeContentType(input.declaredType));
    if (declaredExt !== undefined) hintName = `${shownName}.${declaredExt}`;
  }

  const detection = await input.detect(hintName);
  if (!detection.ok) {
    return { ok: false, code: "type_not_allowed", message: `"${shownName}" cannot be sent by MMS. ${detection.reason}` };
  }
  const detected = detection.type;

  if (claimedExt !== undefined && !isExtensionConsistent(detected, claimedExt)) {
    return { ok: false, code: "extension_mismatch", message: mismatchMessage(shownName, claimedExt, detected) };
  }

  const displayName = claimedExt === undefined ? safeDisplayName(`${shownName}.${detected.extension}`) : shownName;

  if (hasBidiControls(input.name)) {
    return {
      ok: false,
      code: "bad_name",
      message: `The file name contains hidden text-direction characters, a trick used to disguise a file's real type. Rename the file using ordinary letters (for example "${displayName}") and upload it again.`,
    };
  }

  return {
    ok: true,
    contentType: detected.contentType,
    extension: detected.extension,
    kind: detected.kind,
    displayName,
    size,
    sha256: await input.sha256(),
  };
}
