import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ComposeSchema,
  FileSetSchema,
  fieldErrorsOf,
  FORM_ERROR_KEY,
  instantOfSchedule,
  makeComposeSchema,
  makeScheduleSchema,
  MessageTextSchema,
  RecipientsSchema,
  TitleSchema,
} from "./schemas";

/** Messages of a failed parse, or [] when it passed. */
function messagesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe("TitleSchema", () => {
  it("trims and accepts up to 40 code points", () => {
    expect(TitleSchema.parse("  Spring sale  ")).toBe("Spring sale");
    expect(TitleSchema.parse("x".repeat(40))).toHaveLength(40);
    expect(TitleSchema.parse("🎉".repeat(40))).toBe("🎉".repeat(40));
  });

  it("asks for a title when there is none", () => {
    expect(messagesOf(TitleSchema, "")).toEqual(["Enter a title"]);
    expect(messagesOf(TitleSchema, "   ")).toEqual(["Enter a title"]);
    expect(messagesOf(TitleSchema, undefined)).toEqual(["Enter a title"]);
  });

  it("says how long the title is", () => {
    expect(messagesOf(TitleSchema, "x".repeat(41))).toEqual(["The title is 41 characters long; the limit is 40."]);
  });

  it("explains emoji that count as several characters", () => {
    const [message] = messagesOf(TitleSchema, `${"x".repeat(35)} 🇵🇱 👍🏽`);
    expect(message).toBe(
      "The title is 41 characters long; the limit is 40. 🇵🇱 counts as 2 characters, 👍🏽 as 2: the gateway counts each code point.",
    );
  });

  it("composes accents so a pasted é counts once", () => {
    expect(TitleSchema.parse(`${"x".repeat(39)}e\u0301`)).toBe(`${"x".repeat(39)}é`);
  });

  it("refuses line breaks", () => {
    expect(messagesOf(TitleSchema, "Spring\nsale")).toEqual(["The title must be a single line; remove the line breaks."]);
  });
});

describe("FileSetSchema", () => {
  it("accepts 1 to 10 distinct gateway file ids", () => {
    expect(FileSetSchema.parse(["b67d70c22d"])).toEqual(["b67d70c22d"]);
    const ten = Array.from({ length: 10 }, (_, i) => `file_${i}`);
    expect(FileSetSchema.parse(ten)).toEqual(ten);
  });

  it("explains each way a set of files can be wrong", () => {
    expect(messagesOf(FileSetSchema, [])).toEqual(["Choose at least one file"]);
    expect(messagesOf(FileSetSchema, undefined)).toEqual(["Choose at least one file"]);
    expect(messagesOf(FileSetSchema, Array.from({ length: 11 }, (_, i) => `f${i}`))).toEqual([
      "An MMS can carry at most 10 files; remove 1.",
    ]);
    expect(messagesOf(FileSetSchema, ["a1", "b2", "a1"])).toEqual(["That file is already attached"]);
    expect(FileSetSchema.safeParse(["a1", "a1"]).error?.issues[0]?.path).toEqual([1]);
    expect(messagesOf(FileSetSchema, ["../etc/passwd"])).toEqual(["That file is not in the library any more; choose it again."]);
    expect(messagesOf(FileSetSchema, ["x".repeat(65)])).toHaveLength(1);
  });
});

describe("MessageTextSchema", () => {
  it("is optional and accepts up to 2000 characters", () => {
    expect(MessageTextSchema.parse(undefined)).toBeUndefined();
    expect(MessageTextSchema.parse("")).toBe("");
    expect(MessageTextSchema.parse("ą".repeat(2000))).toHaveLength(2000);
  });

  it("explains the limit", () => {
    const [message] = messagesOf(MessageTextSchema, "x".repeat(2001));
    expect(message).toMatch(/^The message text is 2001 characters long; the limit is 2000\. The gateway attaches it to the MMS as a text file/);
  });
});

describe("RecipientsSchema", () => {
  it("accepts a list of distinct normalised mobile numbers", () => {
    expect(RecipientsSchema.parse(["+48500600700", "+4915123456789"])).toEqual(["+48500600700", "+4915123456789"]);
  });

  it("asks for at least one recipient", () => {
    expect(messagesOf(RecipientsSchema, [])).toEqual(["Add at least one recipient"]);
    expect(messagesOf(RecipientsSchema, undefined)).toEqual(["Add at least one recipient"]);
  });

  it("names the position and the problem of each bad number", () => {
    expect(messagesOf(RecipientsSchema, ["+48500600700", "500600700", "+48221234567", "+48500600700", ""])).toEqual([
      "Line/position 2: 500600700 is not a valid mobile number. Write it as + and the country code, e.g. +48500600700.",
      "Line/position 3: +48221234567 is not a valid mobile number. This is a landline number; landlines cannot receive MMS. Use a mobile number.",
      "Line/position 4: +48500600700 is already in the list at position 1.",
      "Line/position 5: (empty) is not a valid mobile number. Empty: there is no phone number here.",
    ]);
    expect(RecipientsSchema.safeParse(["+48500600700", "x"]).error?.issues[0]?.path).toEqual([1]);
    expect(messagesOf(RecipientsSchema, ["9".repeat(500)])[0]).toMatch(/^Line\/position 1: 9{30}… is not a valid mobile number/);
  });

  it("stops listing after 20 problems and summarises the rest", () => {
    const messages = messagesOf(RecipientsSchema, Array.from({ length: 1_500 }, () => "nope"));
    expect(messages).toHaveLength(21);
    expect(messages[20]).toBe("…and 1 480 more recipients with problems. Check the list again.");
  });

  it("refuses more than 100 000 recipients", () => {
    const list = Array.from({ length: 100_001 }, (_, i) => `+48500${String(i).padStart(6, "0")}`);
    expect(messagesOf(RecipientsSchema, list)).toEqual([
      "At most 100 000 recipients per campaign; this list has 100 001. Split it into several campaigns.",
    ]);
  });

  it("checks 100 000 numbers quickly on the server", () => {
    const list = Array.from({ length: 100_000 }, (_, i) => `+4850${String(i).padStart(7, "0")}`);
    const started = performance.now();
    expect(RecipientsSchema.safeParse(list).success).toBe(true);
    const elapsed = performance.now() - started;
    console.log(`RecipientsSchema: 100 000 numbers in ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(3_000);
  });
});

describe("ScheduleSchema", () => {
  // Thu 26 Nov 2026, 10:00 Warsaw (CET).
  const now = () => new Date("2026-11-26T09:00:00Z");
  const schema = makeScheduleSchema(now);

  it("accepts now and a future Warsaw time", () => {
    expect(schema.parse({ mode: "now" })).toEqual({ mode: "now" });
    expect(schema.parse({ mode: "scheduled", date: "2026-11-26", time: "10:01" })).toEqual({
      mode: "scheduled",
      date: "2026-11-26",
      time: "10:01",
    });
  });

  it("asks for a mode", () => {
    expect(messagesOf(schema, {})).toEqual(["Choose whether to send now or at a scheduled time"]);
    expect(messagesOf(schema, { mode: "later" })).toEqual(["Choose whether to send now or at a scheduled time"]);
  });

  it("refuses malformed input", () => {
    expect(messagesOf(schema, { mode: "scheduled", date: "26.11.2026", time: "10:00" })).toEqual([
      "Enter a date as YYYY-MM-DD and a time as HH:MM.",
    ]);
    expect(messagesOf(schema, { mode: "scheduled" })).toEqual([
      "Enter a date as YYYY-MM-DD and a time as HH:MM.",
      "Enter a date as YYYY-MM-DD and a time as HH:MM.",
    ]);
  });

  it("refuses a time that does not exist because the clocks jump", () => {
    const spring = makeScheduleSchema(() => new Date("2026-03-01T09:00:00Z"));
    const [message] = messagesOf(spring, { mode: "scheduled", date: "2026-03-29", time: "02:30" });
    expect(message).toMatch(/^02:30 does not exist on 2026-03-29 in Warsaw: clocks jump from 02:00 to 03:00/);
  });

  it("refuses the past, naming the current Warsaw time", () => {
    expect(messagesOf(schema, { mode: "scheduled", date: "2026-11-26", time: "10:00" })).toEqual([
      "The scheduled time is in the past; pick a time after Thu 26 Nov 2026, 10:00 (Warsaw, CET).",
    ]);
    expect(messagesOf(schema, { mode: "scheduled", date: "2025-11-26", time: "12:00" })).toHaveLength(1);
  });

  it("refuses more than a year ahead", () => {
    expect(schema.safeParse({ mode: "scheduled", date: "2027-11-26", time: "10:00" }).success).toBe(true);
    expect(messagesOf(schema, { mode: "scheduled", date: "2027-11-26", time: "10:01" })).toEqual([
      "The scheduled time is more than a year away; check the year. The latest possible is Fri 26 Nov 2027, 10:00 (Warsaw, CET).",
    ]);
  });

  it("reads the clock at every parse, not once", () => {
    let current = new Date("2026-11-26T09:00:00Z");
    const moving = makeScheduleSchema(() => current);
    const input = { mode: "scheduled", date: "2026-11-26", time: "11:00" };
    expect(moving.safeParse(input).success).toBe(true);
    current = new Date("2026-11-26T10:30:00Z");
    expect(moving.safeParse(input).success).toBe(false);
  });

  it("gives the instant of a validated schedule", () => {
    expect(instantOfSchedule({ mode: "now" })).toBeNull();
    expect(instantOfSchedule({ mode: "scheduled", date: "2026-11-26", time: "10:01" })).toEqual(new Date("2026-11-26T09:01:00Z"));
  });
});

describe("ComposeSchema and fieldErrorsOf", () => {
  const valid = {
    title: "Spring sale",
    fileIds: ["b67d70c22d"],
    text: "See you!",
    recipients: ["+48500600700"],
    schedule: { mode: "scheduled", date: "2026-11-27", time: "09:00" },
    test: false,
    idempotencyKey: "0b9f1d3c-4a2e-4f6b-9c1d-2e3f4a5b6c7d",
  };
  const schema = makeComposeSchema(() => new Date("2026-11-26T09:00:00Z"));

  it("accepts a complete form", () => {
    expect(schema.parse(valid)).toEqual(valid);
    expect(schema.parse({ ...valid, text: undefined }).text).toBeUndefined();
  });

  it("groups every problem under its top-level field", () => {
    const result = schema.safeParse({
      ...valid,
      title: "",
      fileIds: ["a", "a"],
      recipients: ["500600700"],
      schedule: { mode: "scheduled", date: "2026-11-26", time: "09:00" },
      test: "yes",
      idempotencyKey: "nope",
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrorsOf(result.error)).toEqual({
      title: ["Enter a title"],
      fileIds: ["That file is already attached"],
      recipients: ["Line/position 1: 500600700 is not a valid mobile number. Write it as + and the country code, e.g. +48500600700."],
      schedule: ["The scheduled time is in the past; pick a time after Thu 26 Nov 2026, 10:00 (Warsaw, CET)."],
      test: ["Choose whether this is a test send"],
      idempotencyKey: ["The form is out of date. Reload the page and try again."],
    });
  });

  it("puts problems with the whole form under FORM_ERROR_KEY and drops repeats", () => {
    const result = ComposeSchema.safeParse("not a form");
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(Object.keys(fieldErrorsOf(result.error))).toEqual([FORM_ERROR_KEY]);

    const repeated = FileSetSchema.safeParse(["a", "a", "a"]);
    if (repeated.success) throw new Error("expected failure");
    expect(fieldErrorsOf(repeated.error)).toEqual({ "1": ["That file is already attached"], "2": ["That file is already attached"] });
  });
});
