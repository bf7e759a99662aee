import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RecipientListSizeSchema } from "./field-schemas";
import { RecipientsSchema } from "./schemas";

function messagesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe("RecipientListSizeSchema (the browser's half of RecipientsSchema)", () => {
  it("refuses an empty list with the server's message", () => {
    expect(messagesOf(RecipientListSizeSchema, [])).toEqual(messagesOf(RecipientsSchema, []));
    expect(messagesOf(RecipientListSizeSchema, [])).toEqual(["Add at least one recipient"]);
    expect(messagesOf(RecipientListSizeSchema, undefined)).toEqual(messagesOf(RecipientsSchema, undefined));
  });

  it("refuses more than 100 000 numbers with the server's message", () => {
    const tooMany = Array.from({ length: 100_001 }, (_, i) => `+48500${String(i).padStart(6, "0")}`);
    expect(messagesOf(RecipientListSizeSchema, tooMany)).toEqual(messagesOf(RecipientsSchema, tooMany));
    expect(messagesOf(RecipientListSizeSchema, tooMany)[0]).toContain("100 001");
  });

  it("accepts what the worker accepted", () => {
    expect(messagesOf(RecipientListSizeSchema, ["+48500600700"])).toEqual([]);
  });
});

describe("field-schemas.ts", () => {
  it("never imports phone metadata (it is loaded by the browser)", () => {
    const source = readFileSync(new URL("./field-schemas.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/from\s+["'][^"']*(recipients\/phone|libphonenumber)/);
  });
});
