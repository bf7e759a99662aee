import { createPhoneNormalizer, type CountryCode, type PhoneNormalizer } from "./phone";
import type { RecipientEntry } from "./types";

export type { RecipientEntry };

const LINE_BREAK = /\r\n|\r|\n/;
const LIST_SEPARATOR = /[,;\t]/;
// \s already covers the no-break space that word processors put into pasted numbers.
const WHITESPACE_RUN = /\s+/;

/**
 * The most whitespace-separated pieces one number is written in: "+48 500 600 700" is 4,
 * "+48 50 060 07 00" is 5; one spare for unusual groupings.
 */
const MAX_PIECES_PER_NUMBER = 6;

/**
 * Splits pasted text into candidate numbers. Newlines, commas, semicolons and tabs always separate;
 * spaces only separate when they are not part of how one number is written ("500 600 700" is one
 * number, "500600700 501602703" is two, "500 600 700 501 602 703" is two).
 */
export function parseRecipientText(text: string, defaultCountry: CountryCode = "PL"): RecipientEntry[] {
  const phones = createPhoneNormalizer(defaultCountry);
  const entries: RecipientEntry[] = [];
  const lines = text.split(LINE_BREAK);
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    for (const segment of (lines[index] ?? "").split(LIST_SEPARATOR)) {
      const trimmed = segment.trim();
      if (trimmed === "") continue;
      if (!WHITESPACE_RUN.test(trimmed) || phones.isRecognisable(trimmed)) {
        entries.push({ raw: trimmed, line });
        continue;
      }
      for (const raw of groupPiecesIntoNumbers(trimmed.split(WHITESPACE_RUN), phones)) {
        entries.push({ raw, line });
      }
    }
  }
  return entries;
}

/**
 * Greedy, longest first: at each piece, take the longest run of following pieces that reads as one
 * number; a piece that starts no number stays on its own (and is reported as invalid later).
 */
function groupPiecesIntoNumbers(pieces: string[], phones: PhoneNormalizer): string[] {
  const numbers: string[] = [];
  let start = 0;
  while (start < pieces.length) {
    let taken = 1;
    for (let count = Math.min(MAX_PIECES_PER_NUMBER, pieces.length - start); count >= 2; count--) {
      if (phones.isRecognisable(pieces.slice(start, start + count).join(" "))) {
        taken = count;
        break;
      }
    }
    numbers.push(pieces.slice(start, start + taken).join(" "));
    start += taken;
  }
  return numbers;
}
