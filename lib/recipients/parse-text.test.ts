import { describe, expect, it } from "vitest";
import { parseRecipientText } from "./parse-text";

describe("parseRecipientText", () => {
  it("splits on newlines, commas, semicolons and tabs, keeping the source line", () => {
    expect(parseRecipientText("500600700\n501602703, 502603704;503604705\t504605706")).toEqual([
      { raw: "500600700", line: 1 },
      { raw: "501602703", line: 2 },
      { raw: "502603704", line: 2 },
      { raw: "503604705", line: 2 },
      { raw: "504605706", line: 2 },
    ]);
  });

  it("skips blank lines and empty pieces but keeps counting lines", () => {
    expect(parseRecipientText("\r\n500600700\r\n   \r\n,,;\r\n501602703\r\n")).toEqual([
      { raw: "500600700", line: 2 },
      { raw: "501602703", line: 5 },
    ]);
  });

  it("keeps a number written with spaces as one entry", () => {
    expect(parseRecipientText("500 600 700\n+48 500 600 700\n48 500 600 700")).toEqual([
      { raw: "500 600 700", line: 1 },
      { raw: "+48 500 600 700", line: 2 },
      { raw: "48 500 600 700", line: 3 },
    ]);
  });

  it("splits on spaces when the whole piece is not one number", () => {
    expect(parseRecipientText("500600700 501602703")).toEqual([
      { raw: "500600700", line: 1 },
      { raw: "501602703", line: 1 },
    ]);
  });

  it("finds numbers written with spaces among several on one line", () => {
    expect(parseRecipientText("500 600 700 501 602 703")).toEqual([
      { raw: "500 600 700", line: 1 },
      { raw: "501 602 703", line: 1 },
    ]);
  });

  it("keeps a landline written with spaces whole, so it is rejected as a landline rather than as fragments", () => {
    expect(parseRecipientText("22 123 45 67")).toEqual([{ raw: "22 123 45 67", line: 1 }]);
  });

  it("leaves words and fragments as separate entries to be reported", () => {
    expect(parseRecipientText("Jan Kowalski 500600700")).toEqual([
      { raw: "Jan", line: 1 },
      { raw: "Kowalski", line: 1 },
      { raw: "500600700", line: 1 },
    ]);
  });

  it("treats a no-break space (pasted from Word) like a space", () => {
    expect(parseRecipientText("500\u00A0600\u00A0700")).toEqual([{ raw: "500\u00A0600\u00A0700", line: 1 }]);
  });

  it("returns nothing for empty text", () => {
    expect(parseRecipientText("")).toEqual([]);
    expect(parseRecipientText(" \n\n\t")).toEqual([]);
  });
});
