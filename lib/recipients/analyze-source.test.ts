import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeRecipientSource } from "./analyze-source";
import { NO_PHONE_COLUMN_MESSAGE } from "./spreadsheet";

const fixture = (name: string) => new URL(`../../tests/fixtures/recipients/${name}`, import.meta.url);

describe("analyzeRecipientSource (the recipients worker's job)", () => {
  it("answers pasted text with a plan and no column", async () => {
    const response = await analyzeRecipientSource({ id: 1, kind: "text", text: "500600700\n22 123 45 67" });
    expect(response).toMatchObject({ id: 1, ok: true, column: null });
    if (!response.ok) throw new Error(response.message);
    expect(response.plan.counts).toEqual({ valid: 1, invalid: 1, duplicates: 0, empty: 0, total: 2 });
  });

  it("answers a CSV with line numbers of the file", async () => {
    const response = await analyzeRecipientSource({ id: 2, kind: "csv", text: readFileSync(fixture("semicolon-bom.csv"), "utf8") });
    if (!response.ok) throw new Error(response.message);
    expect(response.column).toEqual({ index: 1, letter: "B", header: "Telefon komórkowy" });
    expect(response.plan.valid).toEqual([
      { e164: "+48500600700", line: 2 },
      { e164: "+48501602703", line: 4 },
      { e164: "+48502603704", line: 5 },
    ]);
    expect(response.plan.rejected.map((r) => [r.line, r.reason, r.duplicateOfLine])).toEqual([
      [8, "empty", undefined],
      [9, "invalid", undefined],
      [10, "duplicate", 2],
    ]);
  });

  it("answers an XLSX workbook", async () => {
    const bytes = readFileSync(fixture("recipients.xlsx"));
    const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const response = await analyzeRecipientSource({ id: 3, kind: "xlsx", data });
    if (!response.ok) throw new Error(response.message);
    expect(response.column).toEqual({ index: 1, letter: "B", header: "Nr telefonu" });
    expect(response.plan.valid.map((v) => v.e164)).toEqual(["+48500600700", "+48501602703", "+48502603704"]);
    expect(response.plan.counts).toEqual({ valid: 3, invalid: 1, duplicates: 1, empty: 1, total: 6 });
    expect(response.plan.rejected.find((r) => r.reason === "duplicate")).toMatchObject({ line: 8, duplicateOfLine: 2 });
  });

  it("answers with a message when there is no phone column or the file is unreadable", async () => {
    const noColumn = await analyzeRecipientSource({ id: 4, kind: "csv", text: readFileSync(fixture("no-phone-column.csv"), "utf8") });
    expect(noColumn).toEqual({ id: 4, ok: false, message: NO_PHONE_COLUMN_MESSAGE });

    const broken = await analyzeRecipientSource({ id: 5, kind: "xlsx", data: new Uint8Array([1, 2, 3]).buffer });
    expect(broken).toMatchObject({ id: 5, ok: false, message: expect.stringMatching(/could not be read as an Excel workbook/) });
  });

  it("never throws, even for a request it does not understand", async () => {
    const response = await analyzeRecipientSource({ id: 6, kind: "pdf" } as never);
    expect(response).toMatchObject({ id: 6, ok: false, message: expect.any(String) });
  });

  it("produces a plan that survives structured cloning (what postMessage does)", async () => {
    const response = await analyzeRecipientSource({ id: 7, kind: "text", text: "500600700\nabc" });
    expect(structuredClone(response)).toEqual(response);
  });
});
