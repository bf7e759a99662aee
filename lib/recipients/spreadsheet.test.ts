import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  columnLetter,
  EMPTY_FILE_MESSAGE,
  expandNumericText,
  extractPhoneColumn,
  isPhoneHeader,
  NO_PHONE_COLUMN_MESSAGE,
  parseCsv,
  parseCsvWithLines,
  parseXlsx,
  UnreadableFileError,
} from "./spreadsheet";

const fixture = (name: string) => new URL(`../../tests/fixtures/recipients/${name}`, import.meta.url);
const fixtureText = (name: string) => readFileSync(fixture(name), "utf8");
function fixtureBuffer(name: string): ArrayBuffer {
  const bytes = readFileSync(fixture(name));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe("parseCsv", () => {
  it("strips the BOM, detects ';', honours quotes, skips empty lines", () => {
    const rows = parseCsv(fixtureText("semicolon-bom.csv"));
    expect(rows[0]).toEqual(["Imię i nazwisko", "Telefon komórkowy", "Uwagi"]);
    expect(rows[1]).toEqual(["Kowalski; Jan", "500 600 700", "VIP"]);
    expect(rows[2]).toEqual(["Nowak, Anna", "+48 501 602 703", 'Prefers "evening" calls']);
    expect(rows[3]).toEqual(["Wiśniewska\r\nMaria", "0048 502-603-704", "name spans two lines"]);
    expect(rows).toHaveLength(7);
  });

  it("reports the file line where each row starts, even after empty lines and multi-line fields", () => {
    const { lines } = parseCsvWithLines(fixtureText("semicolon-bom.csv"));
    expect(lines).toEqual([1, 2, 4, 5, 8, 9, 10]);
  });

  it.each([
    [",", "name,phone\nJan,500600700\n"],
    [";", "name;phone\nJan;500600700\n"],
    ["\t", "name\tphone\nJan\t500600700\n"],
    ["|", "name|phone\nJan|500600700\n"],
  ])("detects the %j delimiter", (_delimiter, text) => {
    expect(parseCsv(text)).toEqual([
      ["name", "phone"],
      ["Jan", "500600700"],
    ]);
  });

  it("reads a one-column file and an empty one", () => {
    expect(parseCsv("500600700\n+48 501 602 703\n")).toEqual([["500600700"], ["+48 501 602 703"]]);
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("\uFEFF\n\n")).toEqual([]);
  });

  it("keeps line numbers right with old Mac line endings", () => {
    expect(parseCsvWithLines("a;b\r\r1;500600700\r").lines).toEqual([1, 3]);
  });
});

describe("parseXlsx", () => {
  it("reads the first sheet, turning Excel numbers into plain digits", async () => {
    const rows = await parseXlsx(fixtureBuffer("recipients.xlsx"));
    expect(rows).toEqual([
      ["Imię", "Nr telefonu", "Miasto"],
      ["Jan", "48500600700", "Warszawa"],
      ["Anna", "501602703", "Kraków"],
      ["Piotr", "+48 502 603 704", "Gdańsk"],
      ["", "", ""],
      ["Ewa", "", "Poznań"],
      ["Biuro", "221234567", "Warszawa"],
      ["Kasia", "500600700", "Łódź"],
    ]);
  });

  it("says plainly when the file is not a workbook", async () => {
    const notXlsx = new TextEncoder().encode("name,phone\nJan,500600700\n").buffer as ArrayBuffer;
    await expect(parseXlsx(notXlsx)).rejects.toBeInstanceOf(UnreadableFileError);
    await expect(parseXlsx(notXlsx)).rejects.toThrow(/could not be read as an Excel workbook/);
  });
});

describe("expandNumericText", () => {
  it.each([
    ["5.006007E8", "500600700"],
    ["4.85006007E10", "48500600700"],
    ["4.85006007E+10", "48500600700"],
    ["48500600700", "48500600700"],
    ["48500600700.0", "48500600700"],
    ["500600700.000", "500600700"],
    ["1.5", "1.5"],
    ["1.25E-2", "0.0125"],
    ["-3E2", "-300"],
    ["+48 500", "+48 500"],
    ["abc", "abc"],
    [".", "."],
  ])("%s → %s", (input, expected) => {
    expect(expandNumericText(input)).toBe(expected);
  });
});

describe("isPhoneHeader", () => {
  it.each(["phone", "Telefon", "TEL.", "tel", "Numer", "number", "Nr telefonu", "nr tel.", "Mobile", "MSISDN", "GSM", "Komórka", "KOMÓRKA", "komorka", "Telefon komórkowy", "Phone number", "Numer telefonu"])(
    "recognises %j",
    (header) => {
      expect(isPhoneHeader(header)).toBe(true);
    },
  );

  it.each(["Imię", "name", "Numer klienta", "Order number", "email", "Hotel", ""])("does not take %j for a phone header", (header) => {
    expect(isPhoneHeader(header)).toBe(false);
  });
});

describe("extractPhoneColumn", () => {
  it("uses the named column and counts the header row in line numbers", () => {
    const result = extractPhoneColumn([
      ["Imię", "Telefon", "Miasto"],
      ["Jan", "500600700", "Warszawa"],
      ["Anna", "", "Kraków"],
      ["", "", ""],
      ["Ewa", "501602703", ""],
    ]);
    expect(result).toEqual({
      ok: true,
      column: 1,
      header: "Telefon",
      entries: [
        { raw: "500600700", line: 2 },
        { raw: "", line: 3 },
        { raw: "501602703", line: 5 },
      ],
    });
  });

  it("takes line numbers from the CSV reader when given", () => {
    const { rows, lines } = parseCsvWithLines(fixtureText("semicolon-bom.csv"));
    const result = extractPhoneColumn(rows, lines);
    expect(result).toMatchObject({ ok: true, column: 1, header: "Telefon komórkowy" });
    if (!result.ok) throw new Error("expected a column");
    expect(result.entries).toEqual([
      { raw: "500 600 700", line: 2 },
      { raw: "+48 501 602 703", line: 4 },
      { raw: "0048 502-603-704", line: 5 },
      { raw: "", line: 8 },
      { raw: "22 123 45 67", line: 9 },
      { raw: "+48500600700", line: 10 },
    ]);
  });

  it("finds the phone column of a headerless file by its content", () => {
    const result = extractPhoneColumn(parseCsv(fixtureText("headerless.csv")));
    expect(result).toMatchObject({ ok: true, column: 1, header: null });
    if (!result.ok) throw new Error("expected a column");
    expect(result.entries.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
    expect(result.entries[3]).toEqual({ raw: "not a number", line: 4 });
  });

  it("treats words above a column of numbers as an unnamed header", () => {
    const result = extractPhoneColumn([["Kontakt"], ["500600700"], ["501602703"]]);
    expect(result).toEqual({
      ok: true,
      column: 0,
      header: "Kontakt",
      entries: [
        { raw: "500600700", line: 2 },
        { raw: "501602703", line: 3 },
      ],
    });
  });

  it("skips a title above the header row", () => {
    const result = extractPhoneColumn([["Klienci – marzec"], [], ["Imię", "GSM"], ["Jan", "500600700"]]);
    expect(result).toMatchObject({ ok: true, column: 1, header: "GSM", entries: [{ raw: "500600700", line: 4 }] });
  });

  it("prefers the mobile column when two columns are named like phones", () => {
    const result = extractPhoneColumn([
      ["Telefon stacjonarny", "Telefon komórkowy"],
      ["22 123 45 67", "500600700"],
      ["22 765 43 21", "501602703"],
    ]);
    expect(result).toMatchObject({ ok: true, column: 1, header: "Telefon komórkowy" });
  });

  it("does not mistake a row counter named \"Numer\" for the phone column", () => {
    const result = extractPhoneColumn([
      ["Numer", "Klient", "Kontakt"],
      ["1", "Jan", "500600700"],
      ["2", "Anna", "501602703"],
    ]);
    expect(result).toMatchObject({ ok: true, column: 2, header: "Kontakt", entries: [{ raw: "500600700", line: 2 }, { raw: "501602703", line: 3 }] });
  });

  it("keeps a named column even when none of its cells is a valid number, so each row gets reported", () => {
    const result = extractPhoneColumn([["Imię", "Telefon"], ["Jan", "123"], ["Anna", "x"]]);
    expect(result).toMatchObject({ ok: true, column: 1, header: "Telefon" });
  });

  it("needs at least 60% of a column to be phone numbers", () => {
    expect(
      extractPhoneColumn([
        ["a", "500600700"],
        ["b", "x"],
        ["c", "y"],
      ]),
    ).toEqual({ ok: false, message: NO_PHONE_COLUMN_MESSAGE });
    expect(
      extractPhoneColumn([
        ["a", "500600700"],
        ["b", "501602703"],
        ["c", "502603704"],
        ["d", "x"],
        ["e", "y"],
      ]),
    ).toMatchObject({ ok: true, column: 1 });
  });

  it("lists every row of a one-column file, even when most are not numbers", () => {
    const result = extractPhoneColumn([["500600700"], ["oops"], ["nope"]]);
    expect(result).toMatchObject({ ok: true, column: 0, header: null });
  });

  it("explains what to do when no column holds phone numbers", () => {
    const result = extractPhoneColumn(parseCsv(fixtureText("no-phone-column.csv")));
    expect(result).toEqual({ ok: false, message: NO_PHONE_COLUMN_MESSAGE });
    expect(NO_PHONE_COLUMN_MESSAGE).toBe(
      'No column with phone numbers found. Add a header such as "phone" or put the numbers in the first column.',
    );
  });

  it("says the file is empty when it is", () => {
    expect(extractPhoneColumn([])).toEqual({ ok: false, message: EMPTY_FILE_MESSAGE });
    expect(extractPhoneColumn([["", " "]])).toEqual({ ok: false, message: EMPTY_FILE_MESSAGE });
  });

  it("reads the XLSX fixture end to end", async () => {
    const result = extractPhoneColumn(await parseXlsx(fixtureBuffer("recipients.xlsx")));
    expect(result).toEqual({
      ok: true,
      column: 1,
      header: "Nr telefonu",
      entries: [
        { raw: "48500600700", line: 2 },
        { raw: "501602703", line: 3 },
        { raw: "+48 502 603 704", line: 4 },
        { raw: "", line: 6 },
        { raw: "221234567", line: 7 },
        { raw: "500600700", line: 8 },
      ],
    });
  });
});

describe("columnLetter", () => {
  it("names columns like spreadsheets do", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
  });
});
