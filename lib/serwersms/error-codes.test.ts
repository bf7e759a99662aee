import { describe, expect, it } from "vitest";
import { GATEWAY_ERRORS, INCORRECT_NUMBER } from "@/lib/sandbox/errors";
import { describeRefusal, explainGatewayCode, isKnownGatewayCode, KNOWN_GATEWAY_CODES, quoteRefusal } from "./error-codes";

/** The vendor's table as recorded in the shared reference serwersms-api.md §4 (code → type). */
const DOCUMENTED: Record<number, string> = {
  1000: "InvalidAction", 1001: "InvalidUser", 1002: "InvalidRole", 1003: "InvalidIP", 1004: "InvalidID", 1005: "InvalidRole",
  1006: "InvalidData", 1007: "InvalidRole", 1008: "InvalidRole", 2000: "ValidationRequiredError", 2001: "ValidationPhoneError",
  2002: "ValidationCodeError", 3000: "SendError", 3001: "SendError", 3002: "SendError", 3003: "SendError", 3004: "SendError",
  3005: "SendError", 3006: "SendError", 3007: "SendError", 3008: "SendError", 3009: "SendError", 3100: "SendError",
  3101: "SendError", 3102: "SendError",
};

describe("the gateway code table", () => {
  it("holds every documented code with its documented type, marked as documented", () => {
    const documented = KNOWN_GATEWAY_CODES.filter((entry) => entry.source === "docs");
    expect(Object.fromEntries(documented.map((entry) => [entry.code, entry.type]))).toEqual(DOCUMENTED);
  });

  it("marks 3103 as the brief's, and nothing else as undocumented", () => {
    expect(KNOWN_GATEWAY_CODES.filter((entry) => entry.source !== "docs").map(({ code, source }) => [code, source])).toEqual([[3103, "brief"]]);
  });

  it("knows every code the sandbox can answer, under the same type (two tables, kept apart on purpose)", () => {
    const sandbox = { ...GATEWAY_ERRORS, [INCORRECT_NUMBER.code]: { type: "SendError" } };
    for (const [code, { type }] of Object.entries(sandbox)) {
      expect(isKnownGatewayCode(Number(code)), code).toBe(true);
      expect(KNOWN_GATEWAY_CODES.find((entry) => entry.code === Number(code))?.type, code).toBe(type);
    }
  });

  it("gives every entry words for a person", () => {
    for (const entry of KNOWN_GATEWAY_CODES) {
      expect(entry.title && entry.explanation && entry.nextStep, String(entry.code)).toBeTruthy();
    }
  });
});

describe("refusal sentences", () => {
  it("explain a known code in our words", () => {
    expect(describeRefusal("The gateway refused this", { code: 3004, gatewayMessage: "MMS limit exhausted" })).toBe(
      "The gateway refused this (3004: MMS credit used up). Top up MMS credit, then retry the failed batches.",
    );
  });

  it("put the gateway's own description beside ours for a code we do not know", () => {
    expect(describeRefusal("The gateway refused this", { code: 4312, gatewayMessage: "Nie", description: "Account cannot be added on demo" })).toBe(
      "The gateway refused this (4312: a code this app does not know; the gateway describes it as “Account cannot be added on demo”). Try again later; if it persists, contact SerwerSMS support with this code.",
    );
    // Without a description, the refusal's own message stands in for it.
    expect(describeRefusal("Refused", { code: 4312, gatewayMessage: "Nie" })).toMatch(/describes it as “Nie”/);
    expect(explainGatewayCode(4312, "Nie").explanation).toBe("The gateway says: “Nie”");
  });

  it("quote the gateway for refusals only it can explain, adding its description of an unknown code", () => {
    expect(quoteRefusal('The gateway refused "a.png"', { code: 1006, gatewayMessage: "File type not allowed: exe" })).toBe(
      'The gateway refused "a.png": File type not allowed: exe',
    );
    expect(quoteRefusal('The gateway refused "a.png"', { code: 4321, gatewayMessage: "Plik odrzucony", description: "Converter failed" })).toBe(
      'The gateway refused "a.png": Plik odrzucony (4321: a code this app does not know; the gateway describes it as “Converter failed”)',
    );
    expect(quoteRefusal('The gateway refused "a.png"', { code: 1006, gatewayMessage: "" })).toBe(
      'The gateway refused "a.png" (1006: Invalid data). Check the file or values and try again.',
    );
  });
});
