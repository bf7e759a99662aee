/**
 * The gateway allows 40 characters. It is written in PHP and most likely counts with mb_strlen, i.e.
 * Unicode code points, so that is what we count: never UTF-16 units (which would wrongly count every
 * emoji as 2) and never bytes, and never fewer than the gateway would.
 */
export const TITLE_MAX = 40;

/** How many multi-code-point symbols the emoji note names before it stops listing. */
const EMOJI_NOTE_EXAMPLES = 3;

export type TitleMeasure = {
  codePoints: number;
  /** What a person sees as separate characters. */
  graphemes: number;
  utf16: number;
  /** Negative when over the limit. */
  remaining: number;
  over: boolean;
  /** Set when something that looks like one character counts as several. */
  emojiNote: string | null;
};

export function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

// Older browsers lack Intl.Segmenter; counting code points there only makes the visible count less exact, never the limit.
const graphemeSegmenter =
  typeof Intl !== "undefined" && typeof Intl.Segmenter === "function"
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" })
    : null;

function splitGraphemes(text: string): string[] {
  if (!graphemeSegmenter) return Array.from(text);
  return Array.from(graphemeSegmenter.segment(text), (part) => part.segment);
}

/**
 * The form a title is sent in: trimmed, and NFC-composed so that an "é" pasted from a Mac (e + combining
 * accent, 2 code points) counts as the 1 character it looks like.
 */
export function canonicalTitle(title: string): string {
  return title.trim().normalize("NFC");
}

/** Measures a title the way it will be validated and sent (see canonicalTitle). */
export function measureTitle(title: string): TitleMeasure {
  const text = canonicalTitle(title);
  const codePoints = countCodePoints(text);
  const graphemes = splitGraphemes(text);
  return {
    codePoints,
    graphemes: graphemes.length,
    utf16: text.length,
    remaining: TITLE_MAX - codePoints,
    over: codePoints > TITLE_MAX,
    emojiNote: emojiNoteFor(graphemes),
  };
}

function emojiNoteFor(graphemes: readonly string[]): string | null {
  const examples: { symbol: string; count: number }[] = [];
  const seen = new Set<string>();
  for (const symbol of graphemes) {
    if (examples.length === EMOJI_NOTE_EXAMPLES) break;
    if (seen.has(symbol)) continue;
    const count = countCodePoints(symbol);
    if (count > 1) {
      seen.add(symbol);
      examples.push({ symbol, count });
    }
  }
  const [first, ...rest] = examples;
  if (!first) return null;
  const parts = [`${first.symbol} counts as ${first.count} characters`, ...rest.map((e) => `${e.symbol} as ${e.count}`)];
  return `${parts.join(", ")}: the gateway counts each code point.`;
}
