/**
 * Display names for uploaded files. The original name is attacker-controlled text that ends up
 * in the UI, in Content-Disposition headers and in the SerwerSMS.pl file list, so it is reduced to
 * something that is harmless in all of those places while keeping Polish letters readable.
 */
import { splitExtension } from "@/lib/media/file-name";
import { MEDIA_NAME_MAX } from "@/lib/media/limits";

// Bidi embeddings/overrides/isolates can make "photo\u202Egnp.exe" render as "photoexe.png".
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// Invisible characters let two names that look identical differ (or hide text entirely).
const INVISIBLES = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E]/g;
const LINE_BREAKS_AND_TABS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
// Quotes/angle brackets/backtick break out of HTML attributes, header values and template strings;
// the rest are the characters Windows refuses in file names, which matters once the file is downloaded.
const MARKUP_AND_RESERVED = /[<>"'`:*?|]/g;

/** True when the name carries text-direction controls that can disguise its real extension. */
export function hasBidiControls(raw: string): boolean {
  return /[\u202A-\u202E\u2066-\u2069]/.test(raw);
}

/**
 * Turns an uploaded file name into a safe display name: no path, no control/bidi/invisible
 * characters, no leading dots, collapsed whitespace, `<>"'\`` (and Windows-reserved `:*?|`)
 * replaced by "_", at most MEDIA_NAME_MAX code points with the extension kept.
 * An empty result becomes "file" (+ "." + fallbackExt when given).
 */
export function safeDisplayName(raw: string, fallbackExt?: string): string {
  const cut = Math.max(raw.lastIndexOf("/"), raw.lastIndexOf("\\"));
  let name = (cut === -1 ? raw : raw.slice(cut + 1))
    // macOS sends decomposed (NFD) Polish letters; NFC makes "ż" one code point for display and length limits.
    .normalize("NFC")
    .replace(BIDI_CONTROLS, "")
    .replace(INVISIBLES, "")
    .replace(LINE_BREAKS_AND_TABS, " ")
    .replace(CONTROLS, "")
    .replace(MARKUP_AND_RESERVED, "_")
    .replace(/\s+/gu, " ")
    .trim()
    // Leading dots hide files on Unix and ".." reads like a path; trailing dots/spaces are dropped by Windows.
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");

  if (name === "") {
    const ext = (fallbackExt ?? "").replace(/^\.+/, "").replace(/[^\p{L}\p{N}]/gu, "");
    return ext === "" ? "file" : `file.${ext}`;
  }

  const codePoints = [...name];
  if (codePoints.length > MEDIA_NAME_MAX) {
    const { extension } = splitExtension(name);
    const suffix = extension === undefined ? "" : `.${extension}`;
    const stemRoom = MEDIA_NAME_MAX - [...suffix].length;
    name = `${codePoints.slice(0, stemRoom).join("").replace(/[.\s]+$/, "")}${suffix}`;
  }
  return name;
}
