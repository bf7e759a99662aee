// The "max" metadata carries each country's full number patterns, so a number is judged by whether
// it can exist (and what kind of line it is), not merely by its length.
import {
  Metadata,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type NumberType,
} from "libphonenumber-js/max";
import { E164_MAX_DIGITS } from "@/lib/compose/limits";

export type { CountryCode };

export type NormalizedPhone =
  | { ok: true; e164: string }
  | { ok: false; reason: "empty" | "invalid"; message: string };

type KnownNumberType = NonNullable<NumberType>;

/**
 * What we learnt about a piece of text, before deciding whether it can receive an MMS.
 * `exists` means the digits form a real number of some kind (mobile, landline, toll-free, …).
 */
type PhoneInspection =
  | { kind: "empty" }
  | { kind: "malformed"; message: string }
  | { kind: "number"; e164: string; exists: boolean; type: NumberType };

// A "+", a non-zero first digit, and 7 to E164_MAX_DIGITS digits in all.
const E164 = new RegExp(`^\\+[1-9]\\d{6,${E164_MAX_DIGITS - 1}}$`);

/** Digits, the usual grouping marks, and a leading + (or 00); anything else is not something a person types as a phone number. */
const PHONE_CHARACTERS = /^\+?[\d\s\-().\/\u00A0\u2010-\u2015\u2212]+$/;
const NON_DIGITS = /\D/g;

export const MESSAGES = {
  empty: "Empty: there is no phone number here.",
  notDigits: "Contains letters or symbols. A phone number has only digits, spaces, dashes, brackets and an optional + at the start.",
  tooShort: "Too few digits for a phone number.",
  tooShortPolish: "Too few digits for a phone number. A Polish mobile number has 9 digits, e.g. 500 600 700.",
  tooLong: "Too many digits for a phone number. If this is several numbers, put each on its own line or separate them with commas.",
  unknownCountry: "Unknown country code. Start foreign numbers with + and the country code, e.g. +49 151 2345 6789.",
  doesNotExist: "This number does not exist. Check the digits; foreign numbers need + and the country code.",
  landline: "This is a landline number; landlines cannot receive MMS. Use a mobile number.",
  scientific:
    "A spreadsheet shortened this number (e.g. 4.85006E+10) and may have lost digits. Format the phone column as Text, fix the numbers, and export again.",
} as const;

/** How Excel shows long numbers in a "General" column, and writes them into CSV exports. */
const SCIENTIFIC_NOTATION = /^\d(?:[.,]\d+)?E\+?\d+$/i;

const NON_MOBILE_LABELS: Partial<Record<KnownNumberType, string>> = {
  TOLL_FREE: "a toll-free number",
  PREMIUM_RATE: "a premium-rate number",
  SHARED_COST: "a shared-cost number",
  VOIP: "an internet (VoIP) number",
  PERSONAL_NUMBER: "a personal forwarding number",
  PAGER: "a pager number",
  UAN: "a company switchboard number",
  VOICEMAIL: "a voicemail access number",
};

/** True for `+` followed by 7–15 digits, the shape the gateway expects. Says nothing about whether the number exists. */
export function isE164(text: string): boolean {
  return E164.test(text);
}

export type PhoneNormalizer = {
  /** See normalizePhone. */
  normalize(raw: string): NormalizedPhone;
  /**
   * True when the text is a real phone number of any kind, landlines included. Used to decide how to
   * split text or which column holds numbers, where a landline is still "a phone number" (and gets its
   * own clear rejection later) rather than stray text.
   */
  isRecognisable(raw: string): boolean;
  /** Whether the compiled shortcut for the default country is in use (false: every number goes to libphonenumber). */
  readonly usesFastPath: boolean;
};

/**
 * A normalizer to reuse across many numbers. libphonenumber rebuilds its regular expressions on every
 * call, which dominates the cost of checking 100 000 numbers; this compiles the default country's
 * patterns once and answers the common case (a number of that country, in any usual spelling) itself,
 * handing everything else to libphonenumber. Both paths give identical answers (checked by tests).
 */
export function createPhoneNormalizer(defaultCountry: CountryCode = "PL"): PhoneNormalizer {
  const fastPath = compileCountryFastPath(defaultCountry);
  return {
    usesFastPath: fastPath !== null,
    normalize: (raw) => verdictFor(inspectText(raw, defaultCountry, fastPath), raw, defaultCountry),
    isRecognisable: (raw) => isRealNumber(inspectText(raw, defaultCountry, fastPath)),
  };
}

/**
 * The E.164 form of a number that can receive an MMS: a mobile number, or a number in a country whose
 * plan does not tell mobile and landline apart (e.g. the US), or one whose type cannot be determined.
 * National numbers without a country code are read as `defaultCountry` numbers.
 * For many numbers, use one createPhoneNormalizer instead.
 */
export function normalizePhone(raw: string, defaultCountry: CountryCode = "PL"): NormalizedPhone {
  return verdictFor(inspectText(raw, defaultCountry, null), raw, defaultCountry);
}

/** See PhoneNormalizer.isRecognisable. */
export function isRecognisablePhoneNumber(raw: string, defaultCountry: CountryCode = "PL"): boolean {
  return isRealNumber(inspectText(raw, defaultCountry, null));
}

type FastPath = (text: string) => PhoneInspection | null;

function inspectText(raw: string, defaultCountry: CountryCode, fastPath: FastPath | null): PhoneInspection {
  const text = raw.trim();
  if (text === "") return { kind: "empty" };
  if (!PHONE_CHARACTERS.test(text)) return { kind: "malformed", message: notDigitsMessage(text) };
  return fastPath?.(text) ?? inspectWithLibrary(text, defaultCountry);
}

function isRealNumber(found: PhoneInspection): boolean {
  return found.kind === "number" && found.exists;
}

// Expanding it back would be guessing: the digits Excel dropped could put the MMS on a stranger's phone.
function notDigitsMessage(text: string): string {
  return SCIENTIFIC_NOTATION.test(text) ? MESSAGES.scientific : MESSAGES.notDigits;
}

function verdictFor(found: PhoneInspection, raw: string, defaultCountry: CountryCode): NormalizedPhone {
  switch (found.kind) {
    case "empty":
      return { ok: false, reason: "empty", message: MESSAGES.empty };
    case "malformed":
      return { ok: false, reason: "invalid", message: found.message };
    case "number":
      if (!found.exists) {
        return { ok: false, reason: "invalid", message: lengthProblemMessage(raw.trim(), defaultCountry) };
      }
      if (found.type === undefined || found.type === "MOBILE" || found.type === "FIXED_LINE_OR_MOBILE") {
        return { ok: true, e164: found.e164 };
      }
      if (found.type === "FIXED_LINE") return { ok: false, reason: "invalid", message: MESSAGES.landline };
      return {
        ok: false,
        reason: "invalid",
        message: `This is ${NON_MOBILE_LABELS[found.type] ?? "not a mobile number"}, which cannot receive MMS. Use a mobile number.`,
      };
  }
}

function inspectWithLibrary(text: string, defaultCountry: CountryCode): PhoneInspection {
  // extract: false — "call 500600700" must not pass as a number.
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (!parsed) return { kind: "malformed", message: lengthProblemMessage(text, defaultCountry) };
  // With full metadata a type is only found for a number that matches a real pattern, so one
  // getType() call answers both "does it exist" and "what is it"; isValid() is only needed for
  // the rare country whose metadata has no type patterns.
  const type = parsed.getType();
  return { kind: "number", e164: parsed.number, exists: type !== undefined || parsed.isValid(), type };
}

function lengthProblemMessage(text: string, defaultCountry: CountryCode): string {
  switch (validatePhoneNumberLength(text, { defaultCountry })) {
    case "TOO_SHORT":
      return looksPolish(text, defaultCountry) ? MESSAGES.tooShortPolish : MESSAGES.tooShort;
    case "TOO_LONG":
      return MESSAGES.tooLong;
    case "INVALID_COUNTRY":
      return MESSAGES.unknownCountry;
    case "NOT_A_NUMBER":
      return MESSAGES.notDigits;
    default:
      return MESSAGES.doesNotExist;
  }
}

function looksPolish(text: string, defaultCountry: CountryCode): boolean {
  const compact = text.replace(/[^\d+]/g, "");
  if (compact.startsWith("+48") || compact.startsWith("0048")) return true;
  return defaultCountry === "PL" && !compact.startsWith("+") && !compact.startsWith("00");
}

/**
 * The parts of libphonenumber's metadata the fast path reads. They exist at runtime but are not in the
 * published typings; the version is pinned and the equivalence tests fail loudly if they change.
 */
type NumberTypeDefinition = { pattern(): string; possibleLengths(): number[] | undefined };
type NumberingPlanInternals = {
  callingCode(): string;
  IDDPrefix(): string | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalNumberPattern(): string;
  possibleLengths(): number[];
  hasTypes(): boolean;
  type(type: KnownNumberType): NumberTypeDefinition | undefined;
};
type MetadataInternals = {
  numberingPlan: NumberingPlanInternals;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
};

/** The order libphonenumber's getNumberType tries types in after FIXED_LINE; the first match wins. */
const NON_FIXED_LINE_TYPES: KnownNumberType[] = [
  "MOBILE", "PREMIUM_RATE", "TOLL_FREE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL",
];

type CompiledType = { type: KnownNumberType; lengths: number[] | undefined; pattern: RegExp };

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
const PLAIN_DIGITS = /^\d+$/;

/**
 * Returns a checker for numbers of `country` that replicates libphonenumber's parse + getNumberType for
 * the spellings it understands, or null (meaning "ask libphonenumber") for anything it is not certain of:
 * other countries, national prefixes, numbers that match no pattern (whose messages need the library).
 */
function compileCountryFastPath(country: CountryCode): FastPath | null {
  try {
    return compileFastPathFromMetadata(country);
  } catch {
    // The metadata internals moved (a libphonenumber upgrade): stay correct, just slower.
    return null;
  }
}

function compileFastPathFromMetadata(country: CountryCode): FastPath | null {
  const metadata = new Metadata() as unknown as MetadataInternals & { selectNumberingPlan(country: CountryCode): void };
  metadata.selectNumberingPlan(country);
  const plan = metadata.numberingPlan;
  const callingCode = plan.callingCode();
  const internationalPrefix = plan.IDDPrefix();
  const nationalPrefix = plan.nationalPrefixForParsing();

  // Countries sharing a calling code (+1, +7, +44 …) need libphonenumber to tell which one a number is in.
  if ((metadata.getCountryCodesForCallingCode(callingCode) ?? []).length !== 1) return null;
  if (!plan.hasTypes() || !internationalPrefix || !PLAIN_DIGITS.test(internationalPrefix)) return null;

  const general = whole(plan.nationalNumberPattern());
  const maxLength = Math.max(...plan.possibleLengths());
  const startsWithNationalPrefix = nationalPrefix ? new RegExp(`^(?:${nationalPrefix})`) : null;
  const compile = (type: KnownNumberType): CompiledType | null => {
    const definition = plan.type(type);
    const pattern = definition?.pattern();
    return definition && pattern ? { type, lengths: definition.possibleLengths(), pattern: whole(pattern) } : null;
  };
  const fixedLine = compile("FIXED_LINE");
  const mobileDefinition = plan.type("MOBILE");
  const mobile = compile("MOBILE");
  const others = NON_FIXED_LINE_TYPES.map(compile).filter((t): t is CompiledType => t !== null);
  const matches = (national: string, t: CompiledType | null) =>
    t !== null && (!t.lengths || t.lengths.includes(national.length)) && t.pattern.test(national);

  const typeOf = (national: string): NumberType => {
    if (matches(national, fixedLine)) {
      if (!mobileDefinition || mobileDefinition.pattern() === "" || matches(national, mobile)) return "FIXED_LINE_OR_MOBILE";
      return "FIXED_LINE";
    }
    return others.find((t) => matches(national, t))?.type;
  };

  const nationalPartOf = (text: string): string | null => {
    const digits = text.replace(NON_DIGITS, "");
    if (text.startsWith("+")) return digits.startsWith(callingCode) ? digits.slice(callingCode.length) : null;
    if (digits.startsWith(internationalPrefix)) {
      const afterPrefix = digits.slice(internationalPrefix.length);
      return afterPrefix.startsWith(callingCode) ? afterPrefix.slice(callingCode.length) : null;
    }
    if (digits.startsWith(callingCode)) {
      // libphonenumber drops a leading country code written without + only when the whole is too long to
      // be a national number; the in-between cases follow subtler rules, so leave them to it.
      return digits.length > maxLength ? digits.slice(callingCode.length) : null;
    }
    return digits;
  };

  return (text) => {
    const national = nationalPartOf(text);
    if (national === null || national === "" || national.length > maxLength) return null;
    if (startsWithNationalPrefix?.test(national) || !general.test(national)) return null;
    const type = typeOf(national);
    if (type === undefined) return null;
    return { kind: "number", e164: `+${callingCode}${national}`, exists: true, type };
  };
}
