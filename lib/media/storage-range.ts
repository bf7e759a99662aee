/**
 * Single-range `Range: bytes=…` parsing for serving stored media. Native <video>/<audio> players
 * (Safari in particular) seek with range requests and refuse to play media served without them.
 * Multi-range requests are answered with the whole file, which RFC 9110 allows.
 */

export type ByteRange = { start: number; end: number };

/**
 * `null`: no usable Range header, send everything (200).
 * `"unsatisfiable"`: a syntactically valid range outside the file (416).
 * Otherwise the inclusive byte range to send (206).
 */
export function parseByteRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (header === null) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, startText = "", endText = ""] = match;
  if (startText === "" && endText === "") return null;
  if (size === 0) return "unsatisfiable";
  if (startText === "") {
    // Suffix range: the last N bytes.
    const length = Number(endText);
    if (length === 0) return "unsatisfiable";
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(startText);
  if (start >= size) return "unsatisfiable";
  const end = endText === "" ? size - 1 : Math.min(Number(endText), size - 1);
  if (end < start) return null;
  return { start, end };
}
