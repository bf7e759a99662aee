/**
 * Text decoding for uploaded files. Polish marketing files still arrive in the legacy Windows
 * (windows-1250) or ISO-8859-2 encodings, so UTF-8 is tried strictly first and the two legacy
 * code pages are told apart by the bytes where their Polish letters differ.
 */

export type TextEncodingName = "utf-8" | "windows-1250" | "iso-8859-2";

export type DecodedText = { text: string; encoding: TextEncodingName };

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

// Ą ą Ś ś Ź ź sit on different bytes in the two code pages; everything else Polish is shared.
const ISO_8859_2_ONLY = new Set([0xa1, 0xb1, 0xa6, 0xb6, 0xac, 0xbc]);
const WINDOWS_1250_ONLY = new Set([0xa5, 0xb9, 0x8c, 0x9c, 0x8f, 0x9f]);

function guessLegacyEncoding(bytes: Uint8Array): "windows-1250" | "iso-8859-2" {
  let iso = 0;
  let windows = 0;
  for (const byte of bytes) {
    // 0x80–0x9F are C1 controls in ISO-8859-2 but printable letters/punctuation in windows-1250.
    if (byte >= 0x80 && byte <= 0x9f) windows += 2;
    if (ISO_8859_2_ONLY.has(byte)) iso++;
    else if (WINDOWS_1250_ONLY.has(byte)) windows++;
  }
  return iso > windows ? "iso-8859-2" : "windows-1250";
}

/** Decodes without throwing: strict UTF-8 (BOM dropped), otherwise the more likely Polish legacy code page. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body), encoding: "utf-8" };
  } catch {
    const encoding = guessLegacyEncoding(body);
    return { text: new TextDecoder(encoding).decode(body), encoding };
  }
}

/**
 * Characters that make a "text" file suspicious: C0 controls other than tab/line breaks/form feed,
 * DEL, and C1 controls (which is also what windows-1250 decoding yields for its few unassigned bytes).
 */
export function isDisallowedControl(codePoint: number): boolean {
  if (codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0b || codePoint === 0x0c || codePoint === 0x0d) {
    return false;
  }
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f);
}
