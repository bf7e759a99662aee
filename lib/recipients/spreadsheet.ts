import Papa from "papaparse";
import { readSheet } from "read-excel-file/universal";
import { createPhoneNormalizer, type CountryCode, type PhoneNormalizer } from "./phone";
import type { RecipientEntry } from "./types";

/** A file we could not read at all; the message is meant for the person who uploaded it. */
export class UnreadableFileError extends Error {
  override name = "UnreadableFileError";
}

export const NO_PHONE_COLUMN_MESSAGE =
  'No column with phone numbers found. Add a header such as "phone" or put the numbers in the first column.';
export const EMPTY_FILE_MESSAGE = "The file is empty. Put one phone number per row and upload it again.";

const DELIMITERS_TO_GUESS = [",", ";", "\t", "|"];

export type CsvRows = {
  rows: string[][];
  /** lines[i] is the 1-based line of the file where rows[i] starts; empty lines are skipped, so they can differ. */
  lines: number[];
};

/** Rows of a CSV file, empty lines skipped. */
export function parseCsv(text: string): string[][] {
  return parseCsvWithLines(text).rows;
}

/** Like parseCsv, and also where each row starts, so messages can point at the line people see in an editor. */
export function parseCsvWithLines(text: string): CsvRows {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (input.trim() === "") return { rows: [], lines: [] };

  // Guess on non-empty rows only: blank lines (or lines of bare separators) would otherwise make every
  // candidate look inconsistent and papaparse falls back to a comma.
  const guess = Papa.parse<string[]>(input, {
    preview: 50,
    skipEmptyLines: "greedy",
    delimitersToGuess: DELIMITERS_TO_GUESS,
  });
  const delimiter = guess.meta.delimiter;
  const linebreak = guess.meta.linebreak || "\n";

  const rows: string[][] = [];
  const lines: number[] = [];
  let rowStart = 0;
  let line = 1;
  let counted = 0;
  // Step mode exposes where each row ends, which is the only way to keep line numbers right when a
  // quoted field spans several lines.
  Papa.parse<string[]>(input, {
    delimiter,
    newline: linebreak as Papa.ParseConfig["newline"],
    step: (result) => {
      const cells = result.data;
      if (cells.some((cell) => cell.trim() !== "")) {
        line += countOccurrences(input, linebreak, counted, rowStart);
        counted = rowStart;
        rows.push(cells);
        lines.push(line);
      }
      rowStart = result.meta.cursor;
    },
  });
  return { rows, lines };
}

function countOccurrences(text: string, needle: string, from: number, to: number): number {
  let count = 0;
  let at = text.indexOf(needle, from);
  while (at !== -1 && at < to) {
    count++;
    at = text.indexOf(needle, at + needle.length);
  }
  return count;
}

/**
 * The cells of the first sheet of an .xlsx workbook as text. Numbers Excel stored as numbers
 * (48500600700, or 5.006007E8 from some writers) come back as plain digits.
 */
export async function parseXlsx(data: ArrayBuffer): Promise<string[][]> {
  let sheet: unknown[][];
  try {
    // Raw numeric text avoids float round-tripping, which is how phone numbers grow ".0" or exponents.
    sheet = await readSheet(data, { parseNumber: expandNumericText });
  } catch {
    throw new UnreadableFileError(
      "This file could not be read as an Excel workbook (.xlsx). Open it in Excel, save it as .xlsx or CSV, and upload it again.",
    );
  }
  return sheet.map((row) => row.map(cellToText));
}

function cellToText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  return String(value);
}

const NUMERIC_LITERAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** "5.006007E8" → "500600700", "48500600700.0" → "48500600700"; anything that is not a number is returned as is. */
export function expandNumericText(text: string): string {
  const match = NUMERIC_LITERAL.exec(text.trim());
  if (!match) return text;
  const [, sign = "", integerPart = "", fractionPart = "", exponentText] = match;
  if (integerPart === "" && fractionPart === "") return text;
  const digits = integerPart + fractionPart;
  const pointAt = integerPart.length + (exponentText ? Number(exponentText) : 0);

  let integer: string;
  let fraction: string;
  if (pointAt >= digits.length) {
    integer = digits + "0".repeat(pointAt - digits.length);
    fraction = "";
  } else if (pointAt <= 0) {
    integer = "0";
    fraction = "0".repeat(-pointAt) + digits;
  } else {
    integer = digits.slice(0, pointAt);
    fraction = digits.slice(pointAt);
  }
  integer = integer.replace(/^0+(?=\d)/, "");
  fraction = fraction.replace(/0+$/, "");
  return sign + integer + (fraction ? `.${fraction}` : "");
}

export type PhoneColumnResult =
  | { ok: true; entries: RecipientEntry[]; column: number; header: string | null }
  | { ok: false; message: string };

/** Header words that on their own mean "phone number", compared without case or Polish diacritics. */
const PHONE_HEADER_WORDS = new Set([
  "phone", "phones", "telephone", "tel", "telefon", "telefonu", "telefony", "mobile", "mobil",
  "msisdn", "gsm", "komorka", "komorki", "komorkowy", "komorkowego", "cell", "cellphone", "smartphone",
]);
/** Headers that mean a phone number only when they stand alone: "numer klienta" is a customer number. */
const PHONE_HEADERS_EXACT = new Set(["numer", "number", "numbers", "numery"]);

/** How many leading rows may be a title or notes above the header row. */
const HEADER_SEARCH_ROWS = 10;
/** Enough rows to recognise the phone column without parsing every cell of a 100 000-row file. */
const DETECTION_SAMPLE_ROWS = 200;
const PHONE_COLUMN_MIN_SHARE = 0.6;
const LETTER = /\p{L}/u;

function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/ł/g, "l")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

export function isPhoneHeader(text: string): boolean {
  const normalised = normaliseHeader(text);
  if (normalised === "") return false;
  if (PHONE_HEADERS_EXACT.has(normalised)) return true;
  return normalised.split(" ").some((word) => PHONE_HEADER_WORDS.has(word));
}

function isBlankRow(row: readonly string[]): boolean {
  return row.every((cell) => cell.trim() === "");
}

function widthOf(rows: readonly string[][]): number {
  let width = 0;
  for (const row of rows) width = Math.max(width, row.length);
  return width;
}

function cellAt(row: readonly string[] | undefined, column: number): string {
  return (row?.[column] ?? "").trim();
}

/**
 * Finds the column holding phone numbers and turns each data row into an entry. A header row is
 * recognised by name; without one, the column where most cells are phone numbers wins.
 * `lines` maps rows to file lines (from parseCsvWithLines); by default row i is line i + 1.
 */
export function extractPhoneColumn(
  rows: string[][],
  lines?: readonly number[],
  defaultCountry: CountryCode = "PL",
): PhoneColumnResult {
  if (rows.every(isBlankRow)) return { ok: false, message: EMPTY_FILE_MESSAGE };
  const lineOf = (rowIndex: number) => lines?.[rowIndex] ?? rowIndex + 1;

  const phones = createPhoneNormalizer(defaultCountry);
  const located = locateByHeader(rows, phones) ?? locateByContent(rows, phones);
  if (!located) return { ok: false, message: NO_PHONE_COLUMN_MESSAGE };

  const entries: RecipientEntry[] = [];
  for (let rowIndex = located.firstDataRow; rowIndex < rows.length; rowIndex++) {
    const row = rows[rowIndex];
    if (!row || isBlankRow(row)) continue;
    entries.push({ raw: cellAt(row, located.column), line: lineOf(rowIndex) });
  }
  return { ok: true, entries, column: located.column, header: located.header };
}

type LocatedColumn = { column: number; header: string | null; firstDataRow: number };

function locateByHeader(rows: string[][], phones: PhoneNormalizer): LocatedColumn | null {
  const searchEnd = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let rowIndex = 0; rowIndex < searchEnd; rowIndex++) {
    const row = rows[rowIndex] ?? [];
    const candidates: number[] = [];
    row.forEach((cell, column) => {
      if (isPhoneHeader(cell)) candidates.push(column);
    });
    if (candidates.length === 0) continue;

    // "Telefon stacjonarny" next to "Telefon komórkowy": take the column with more numbers that can get an MMS.
    let best = candidates[0] ?? 0;
    let bestScore = -1;
    for (const column of candidates) {
      const score = countMobileNumbers(rows, column, rowIndex + 1, phones);
      if (score > bestScore) {
        best = column;
        bestScore = score;
      }
    }
    if (bestScore === 0) {
      // A "Numer" column holding 1, 2, 3… is a row counter; if the numbers sit in another column, use that one.
      const byContent = locateByContent(rows.slice(rowIndex + 1), phones);
      if (byContent && !candidates.includes(byContent.column)) {
        return { column: byContent.column, header: cellAt(row, byContent.column) || null, firstDataRow: rowIndex + 1 };
      }
    }
    return { column: best, header: cellAt(row, best), firstDataRow: rowIndex + 1 };
  }
  return null;
}

function countMobileNumbers(rows: string[][], column: number, from: number, phones: PhoneNormalizer): number {
  let count = 0;
  const end = Math.min(rows.length, from + DETECTION_SAMPLE_ROWS);
  for (let rowIndex = from; rowIndex < end; rowIndex++) {
    if (phones.normalize(cellAt(rows[rowIndex], column)).ok) count++;
  }
  return count;
}

function locateByContent(rows: string[][], phones: PhoneNormalizer): LocatedColumn | null {
  const width = widthOf(rows);
  const firstRow = rows.findIndex((row) => !isBlankRow(row));
  if (firstRow === -1) return null;

  let best: { column: number; share: number; phoneCells: number } | null = null;
  for (let column = 0; column < width; column++) {
    let phoneCells = 0;
    let filled = 0;
    let sampled = 0;
    for (let rowIndex = firstRow; rowIndex < rows.length && sampled < DETECTION_SAMPLE_ROWS; rowIndex++) {
      const row = rows[rowIndex];
      if (!row || isBlankRow(row)) continue;
      sampled++;
      const cell = cellAt(row, column);
      if (cell === "") continue;
      if (phones.isRecognisable(cell)) {
        phoneCells++;
        filled++;
      } else if (!(rowIndex === firstRow && LETTER.test(cell))) {
        // Words in the first row are most likely an unrecognised header, not a bad number.
        filled++;
      }
    }
    if (filled === 0) continue;
    const share = phoneCells / filled;
    if (share >= PHONE_COLUMN_MIN_SHARE && (!best || share > best.share || (share === best.share && phoneCells > best.phoneCells))) {
      best = { column, share, phoneCells };
    }
  }

  // A one-column file can only mean "these are the numbers": list them so each problem is shown by row.
  const column = best?.column ?? (width === 1 ? 0 : null);
  if (column === null) return null;
  const headerCell = cellAt(rows[firstRow], column);
  const hasUnnamedHeader = LETTER.test(headerCell) && !phones.isRecognisable(headerCell);
  return hasUnnamedHeader
    ? { column, header: headerCell, firstDataRow: firstRow + 1 }
    : { column, header: null, firstDataRow: firstRow };
}

/** Spreadsheet column name: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = "";
  let remaining = index + 1;
  while (remaining > 0) {
    const digit = (remaining - 1) % 26;
    letters = String.fromCharCode(65 + digit) + letters;
    remaining = Math.floor((remaining - 1) / 26);
  }
  return letters;
}
