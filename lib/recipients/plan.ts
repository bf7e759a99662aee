import { parseRecipientText } from "./parse-text";
import { createPhoneNormalizer, type CountryCode } from "./phone";
import { columnLetter, extractPhoneColumn } from "./spreadsheet";
import type { PhoneColumn, RecipientEntry, RecipientPlan, RejectedRecipient, ValidRecipient } from "./types";

export type { PhoneColumn, RecipientEntry, RecipientPlan, RejectedRecipient, ValidRecipient };

/** The gateway accepts at most 100 000 numbers per request, so a campaign never needs more. */
export const MAX_RECIPIENTS = 100_000;

export type RecipientPlanOptions = {
  defaultCountry?: CountryCode;
  maxRecipients?: number;
};

/**
 * Checks every entry once and sorts it into valid numbers (E.164, first occurrence wins) and rejections
 * with a reason people can act on. Linear in the number of entries.
 */
export function buildRecipientPlan(entries: readonly RecipientEntry[], opts: RecipientPlanOptions = {}): RecipientPlan {
  const phones = createPhoneNormalizer(opts.defaultCountry ?? "PL");
  const maxRecipients = opts.maxRecipients ?? MAX_RECIPIENTS;

  const valid: ValidRecipient[] = [];
  const rejected: RejectedRecipient[] = [];
  const firstLineOf = new Map<string, number>();
  let invalid = 0;
  let duplicates = 0;
  let empty = 0;

  for (const { raw, line } of entries) {
    const result = phones.normalize(raw);
    if (!result.ok) {
      if (result.reason === "empty") empty++;
      else invalid++;
      rejected.push({ line, raw, reason: result.reason, message: result.message });
      continue;
    }
    const earlierLine = firstLineOf.get(result.e164);
    if (earlierLine !== undefined) {
      duplicates++;
      rejected.push({
        line,
        raw,
        reason: "duplicate",
        message: `Duplicate of line ${earlierLine}`,
        duplicateOfLine: earlierLine,
      });
      continue;
    }
    firstLineOf.set(result.e164, line);
    valid.push({ e164: result.e164, line });
  }

  return {
    valid,
    rejected,
    counts: { valid: valid.length, invalid, duplicates, empty, total: entries.length },
    overLimit: valid.length > maxRecipients,
  };
}

export type RecipientAnalysis = { plan: RecipientPlan; column?: PhoneColumn; error?: string };

export type RecipientSource = {
  text?: string;
  /** Spreadsheet rows; when given, `text` is ignored. */
  rows?: string[][];
  /** 1-based file line of each row (from parseCsvWithLines); row i is line i + 1 when absent. */
  rowLines?: readonly number[];
};

/** Pasted text or spreadsheet rows in, a recipient plan out; `error` when a file has no usable phone column. */
export function analyzeRecipients(input: RecipientSource, opts: RecipientPlanOptions = {}): RecipientAnalysis {
  if (input.rows !== undefined) {
    const extracted = extractPhoneColumn(input.rows, input.rowLines, opts.defaultCountry);
    if (!extracted.ok) return { plan: buildRecipientPlan([], opts), error: extracted.message };
    return {
      plan: buildRecipientPlan(extracted.entries, opts),
      column: { index: extracted.column, letter: columnLetter(extracted.column), header: extracted.header },
    };
  }
  return { plan: buildRecipientPlan(parseRecipientText(input.text ?? "", opts.defaultCountry), opts) };
}
