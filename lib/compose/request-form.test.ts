import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RECIPIENT_LIST_MAX_BYTES } from "./limits";
import { encodeStartCampaignForm, FORM_UNREADABLE, RECIPIENTS_PART, REQUEST_PART, REQUEST_PART_MAX_BYTES, requestFromForm } from "./request-form";
import { fieldErrorsOf, makeComposeSchema } from "./schemas";

// The server's reading of the form, piped into the composer's own schema (lib/campaign/start.ts does the same with StartCampaignSchema).
const schema = z.instanceof(FormData).transform(requestFromForm).pipe(makeComposeSchema(() => new Date("2026-11-26T09:00:00Z")));

function phones(n: number, prefix = "+48500"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, "0")}`);
}

const fields = {
  title: "Spring sale",
  fileIds: ["b67d70c22d"],
  text: "See you!",
  schedule: { mode: "now" as const },
  test: false,
  idempotencyKey: "0b9f1d3c-4a2e-4f6b-9c1d-2e3f4a5b6c7d",
};

async function errorsOf(form: FormData) {
  const result = await schema.safeParseAsync(form);
  return result.success ? {} : fieldErrorsOf(result.error);
}

describe("the composer's request as FormData", () => {
  it("carries the numbers as one text part and the rest as JSON, and reads back to the same request", async () => {
    const form = encodeStartCampaignForm({ ...fields, recipients: ["+48500600700", "+4915123456789"] });
    expect(form.get(RECIPIENTS_PART)).toBeInstanceOf(Blob);
    expect(await (form.get(RECIPIENTS_PART) as Blob).text()).toBe("+48500600700\n+4915123456789");
    expect(JSON.parse(form.get(REQUEST_PART) as string)).toEqual(fields);
    expect(await schema.parseAsync(form)).toEqual({ ...fields, recipients: ["+48500600700", "+4915123456789"] });
  });

  it("reads and checks 100 000 numbers", async () => {
    const recipients = phones(100_000);
    const parsed = await schema.parseAsync(encodeStartCampaignForm({ ...fields, recipients }));
    expect(parsed.recipients).toEqual(recipients);
  });

  it("refuses 100 001 numbers with the count message, under recipients", async () => {
    expect(await errorsOf(encodeStartCampaignForm({ ...fields, recipients: phones(100_001) }))).toEqual({
      recipients: ["At most 100 000 recipients per campaign; this list has 100 001. Split it into several campaigns."],
    });
  });

  it("fits 100 000 of the longest possible numbers, and refuses a longer list without reading it", async () => {
    const longest = phones(100_000, "+123456789");
    expect(longest[0]).toHaveLength(16);
    const full = encodeStartCampaignForm({ ...fields, recipients: longest });
    expect((full.get(RECIPIENTS_PART) as Blob).size).toBeLessThanOrEqual(RECIPIENT_LIST_MAX_BYTES);

    const form = encodeStartCampaignForm({ ...fields, recipients: [] });
    const unread = new Blob([new Uint8Array(RECIPIENT_LIST_MAX_BYTES + 1)]);
    unread.text = () => Promise.reject(new Error("an oversized list must not be read"));
    form.set(RECIPIENTS_PART, unread);
    const errors = await errorsOf(form);
    expect(Object.keys(errors)).toEqual(["recipients"]);
    expect(errors.recipients?.[0]).toBe(
      "At most 100 000 recipients per campaign; this list is 1.6 MB, larger than 100 000 phone numbers can be (1.6 MB). Split it into several campaigns.",
    );
  });

  it("takes the list as a plain text field too (curl -F), and a missing list is an empty one", async () => {
    const form = encodeStartCampaignForm({ ...fields, recipients: [] });
    form.set(RECIPIENTS_PART, "+48500600700");
    expect((await schema.parseAsync(form)).recipients).toEqual(["+48500600700"]);
    form.delete(RECIPIENTS_PART);
    expect(await errorsOf(form)).toEqual({ recipients: ["Add at least one recipient"] });
  });

  it("checks every number as the JSON API does, by line", async () => {
    const form = encodeStartCampaignForm({ ...fields, recipients: ["+48500600700", "500600700", "+48500600700"] });
    expect(await errorsOf(form)).toEqual({
      recipients: [
        "Line/position 2: 500600700 is not a valid mobile number. Write it as + and the country code, e.g. +48500600700.",
        "Line/position 3: +48500600700 is already in the list at position 1.",
      ],
    });
  });

  it("refuses a form whose JSON part is missing, not JSON, not an object or too large", async () => {
    const variants: (string | Blob | null)[] = [null, "{not json", "[1,2]", "42", new Blob(["{}"]), JSON.stringify({ ...fields, pad: "x".repeat(REQUEST_PART_MAX_BYTES) })];
    for (const variant of variants) {
      const form = encodeStartCampaignForm({ ...fields, recipients: ["+48500600700"] });
      if (variant === null) form.delete(REQUEST_PART);
      else form.set(REQUEST_PART, variant);
      expect(await errorsOf(form), String(variant).slice(0, 20)).toEqual({ _form: [FORM_UNREADABLE] });
    }
  });

  it("ignores a recipients field smuggled into the JSON part: the list is the text part", async () => {
    const form = encodeStartCampaignForm({ ...fields, recipients: ["+48500600700"] });
    form.set(REQUEST_PART, JSON.stringify({ ...fields, recipients: phones(3) }));
    expect((await schema.parseAsync(form)).recipients).toEqual(["+48500600700"]);
  });
});
