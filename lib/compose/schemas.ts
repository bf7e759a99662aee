/**
 * One schema per concept of the MMS composer. The browser validates the form with these and the server
 * validates the request with the very same ones, so people see identical messages on both sides;
 * every message is written for the marketing staff who fill the form in.
 * The browser imports field-schemas.ts directly: this file adds the per-number recipient check, whose
 * phone metadata must stay out of the page bundle.
 */
import { z } from "zod";
import { createPhoneNormalizer, isE164 } from "@/lib/recipients/phone";
import { type Clock, FileSetSchema, groupDigits, makeScheduleSchema, MessageTextSchema, NO_RECIPIENTS_MESSAGE, recipientListSizeProblem, TitleSchema } from "./field-schemas";

export * from "./field-schemas";

/** Beyond this many bad numbers the list of problems stops growing; one summary line stands for the rest. */
const MAX_REPORTED_RECIPIENT_PROBLEMS = 20;

export const RecipientsSchema = z
  .array(z.string({ error: "Each recipient must be a phone number" }), { error: NO_RECIPIENTS_MESSAGE })
  .superRefine((recipients, ctx) => {
    const sizeProblem = recipientListSizeProblem(recipients.length);
    if (sizeProblem) {
      ctx.addIssue({ code: "custom", message: sizeProblem });
      return;
    }
    let problems = 0;
    const report = (index: number, message: string) => {
      problems++;
      if (problems <= MAX_REPORTED_RECIPIENT_PROBLEMS) ctx.addIssue({ code: "custom", message, path: [index] });
    };
    const phones = createPhoneNormalizer();
    const firstPositionOf = new Map<string, number>();
    recipients.forEach((recipient, index) => {
      const position = index + 1;
      const checked = phones.normalize(recipient);
      // The browser sends numbers already normalised, so anything else means the list was altered on the way.
      if (!isE164(recipient) || !checked.ok || checked.e164 !== recipient) {
        const why = checked.ok ? "Write it as + and the country code, e.g. +48500600700." : checked.message;
        report(index, `Line/position ${position}: ${shown(recipient)} is not a valid mobile number. ${why}`);
        return;
      }
      const earlier = firstPositionOf.get(recipient);
      if (earlier !== undefined) {
        report(index, `Line/position ${position}: ${recipient} is already in the list at position ${earlier}.`);
        return;
      }
      firstPositionOf.set(recipient, position);
    });
    if (problems > MAX_REPORTED_RECIPIENT_PROBLEMS) {
      ctx.addIssue({
        code: "custom",
        message: `…and ${groupDigits(problems - MAX_REPORTED_RECIPIENT_PROBLEMS)} more recipients with problems. Check the list again.`,
      });
    }
  });

/** Echoes a bad value back without letting a pasted novel flood the message. */
function shown(value: string): string {
  if (value.trim() === "") return "(empty)";
  const codePoints = Array.from(value);
  return codePoints.length > 30 ? `${codePoints.slice(0, 30).join("")}…` : value;
}

export function makeComposeSchema(now?: Clock) {
  return z.object({
    title: TitleSchema,
    fileIds: FileSetSchema,
    text: MessageTextSchema,
    recipients: RecipientsSchema,
    schedule: makeScheduleSchema(now),
    test: z.boolean({ error: "Choose whether this is a test send" }),
    // Lets the server recognise a double-submitted form and send the campaign only once.
    idempotencyKey: z.uuid({ error: "The form is out of date. Reload the page and try again." }),
  });
}

export const ComposeSchema = makeComposeSchema();
export type ComposeInput = z.input<typeof ComposeSchema>;
export type Compose = z.output<typeof ComposeSchema>;

