import { describe, expect, it } from "vitest";
import { createPhoneNormalizer, isE164, isRecognisablePhoneNumber, MESSAGES, normalizePhone } from "./phone";

describe("normalizePhone", () => {
  it.each(["500600700", "0048 500-600-700", "+48 (500) 600 700", "48500600700", "+48500600700", " 500 600 700 ", "500.600.700"])(
    "reads %j as +48500600700",
    (raw) => {
      expect(normalizePhone(raw)).toEqual({ ok: true, e164: "+48500600700" });
    },
  );

  it("accepts foreign mobiles written with + or 00, and numbers whose type cannot be told apart (US)", () => {
    expect(normalizePhone("+49 151 23456789")).toEqual({ ok: true, e164: "+4915123456789" });
    expect(normalizePhone("004915123456789")).toEqual({ ok: true, e164: "+4915123456789" });
    expect(normalizePhone("+1 201 555 0123")).toEqual({ ok: true, e164: "+12015550123" });
  });

  it("reads national numbers in the given default country", () => {
    expect(normalizePhone("0151 23456789", "DE")).toEqual({ ok: true, e164: "+4915123456789" });
  });

  it("refuses Polish landlines because they cannot receive MMS", () => {
    const result = normalizePhone("22 123 45 67");
    expect(result).toEqual({ ok: false, reason: "invalid", message: MESSAGES.landline });
    expect(MESSAGES.landline).toMatch(/landlines cannot receive MMS/);
  });

  it("refuses other non-mobile kinds, naming the kind", () => {
    expect(normalizePhone("+48 800 123 456")).toMatchObject({ ok: false, message: expect.stringMatching(/toll-free/) });
    expect(normalizePhone("+48 70 123 45 67")).toMatchObject({ ok: false, message: expect.stringMatching(/premium-rate/) });
    expect(normalizePhone("+48 39 123 45 67")).toMatchObject({ ok: false, message: expect.stringMatching(/VoIP/) });
  });

  it("checks number patterns, not only length", () => {
    // Right length for Poland, but no Polish number starts with 1.
    expect(normalizePhone("100600700")).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("reports empty input as empty", () => {
    expect(normalizePhone("")).toEqual({ ok: false, reason: "empty", message: MESSAGES.empty });
    expect(normalizePhone("   \t")).toMatchObject({ ok: false, reason: "empty" });
  });

  it("explains what is wrong with malformed input", () => {
    expect(normalizePhone("abc500600700")).toEqual({ ok: false, reason: "invalid", message: MESSAGES.notDigits });
    expect(normalizePhone("call 500600700 now")).toMatchObject({ message: MESSAGES.notDigits });
    expect(normalizePhone("12")).toMatchObject({ message: MESSAGES.tooShortPolish });
    expect(normalizePhone("500 600 700 800")).toMatchObject({ message: MESSAGES.tooLong });
    expect(normalizePhone("+999 123 456 789")).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("refuses numbers a spreadsheet wrote in scientific notation, saying why", () => {
    for (const raw of ["4.85006E+10", "4,85006E+10", "5.006007E8"]) {
      expect(normalizePhone(raw)).toEqual({ ok: false, reason: "invalid", message: MESSAGES.scientific });
      expect(createPhoneNormalizer().normalize(raw)).toEqual({ ok: false, reason: "invalid", message: MESSAGES.scientific });
    }
  });
});

describe("isRecognisablePhoneNumber", () => {
  it("counts landlines as phone numbers (they are rejected later, with their own message)", () => {
    expect(isRecognisablePhoneNumber("22 123 45 67")).toBe(true);
    expect(isRecognisablePhoneNumber("500 600 700")).toBe(true);
    expect(isRecognisablePhoneNumber("Kowalski")).toBe(false);
    expect(isRecognisablePhoneNumber("500600700 501602703")).toBe(false);
  });
});

describe("isE164", () => {
  it("accepts only + and 7 to 15 digits", () => {
    expect(isE164("+48500600700")).toBe(true);
    expect(isE164("48500600700")).toBe(false);
    expect(isE164("+48 500 600 700")).toBe(false);
    expect(isE164("+0123456789")).toBe(false);
    expect(isE164("+1234567890123456")).toBe(false);
    expect(isE164("+48500600700\n")).toBe(false);
  });
});

describe("createPhoneNormalizer", () => {
  /** Deterministic pseudo-random digits, so a failure can be reproduced. */
  function* digitStrings(seed: number, count: number, minLength: number, maxLength: number) {
    let state = seed;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state;
    };
    for (let i = 0; i < count; i++) {
      const length = minLength + (next() % (maxLength - minLength + 1));
      let digits = "";
      for (let d = 0; d < length; d++) digits += String(next() % 10);
      yield digits;
    }
  }

  const spellings = (digits: string) => [
    digits,
    `+48${digits}`,
    `0048 ${digits}`,
    `48${digits}`,
    `+48 (${digits.slice(0, 3)}) ${digits.slice(3)}`,
    `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`,
    `+${digits}`,
    `00${digits}`,
  ];

  it("uses its shortcut for Poland but not for countries sharing a calling code", () => {
    expect(createPhoneNormalizer("PL").usesFastPath).toBe(true);
    expect(createPhoneNormalizer("DE").usesFastPath).toBe(true);
    expect(createPhoneNormalizer("US").usesFastPath).toBe(false);
    expect(createPhoneNormalizer("GB").usesFastPath).toBe(false);
  });

  it("gives exactly libphonenumber's answers for Polish numbers in every spelling", () => {
    const phones = createPhoneNormalizer("PL");
    let compared = 0;
    for (const digits of digitStrings(42, 4_000, 5, 12)) {
      for (const raw of spellings(digits)) {
        expect(phones.normalize(raw), raw).toEqual(normalizePhone(raw, "PL"));
        expect(phones.isRecognisable(raw), raw).toBe(isRecognisablePhoneNumber(raw, "PL"));
        compared++;
      }
    }
    // Every mobile range and landline area code, 9 digits.
    for (let prefix = 100; prefix < 1000; prefix++) {
      for (const raw of spellings(`${prefix}123456`)) {
        expect(phones.normalize(raw), raw).toEqual(normalizePhone(raw, "PL"));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30_000);
  });

  it("agrees with libphonenumber for other default countries, including ones sharing a calling code", () => {
    for (const country of ["DE", "US", "GB", "FR", "UA"] as const) {
      const phones = createPhoneNormalizer(country);
      for (const digits of digitStrings(7, 1_500, 6, 13)) {
        for (const raw of [digits, `+${digits}`, `0${digits}`, `00${digits}`]) {
          expect(phones.normalize(raw), `${country} ${raw}`).toEqual(normalizePhone(raw, country));
        }
      }
    }
  });
});
