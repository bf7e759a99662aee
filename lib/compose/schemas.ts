/**
 * One schema per concept of the MMS composer. The browser validates the form with these and the server
 * validates the request with the very same ones, so people see identical messages on both sides;
 * every message is written for the marketing staff who fill the form in.
 */
import { addYears } from "date-fns";
import { z } from "zod";
import { createPhoneNormalizer, isE164 } from "@/lib/recipients/phone";
import { describeSchedule, SCHEDULE_FORMAT_MESSAGE, scheduleToInstant } from "@/lib/schedule/format";
import { fieldErrorsFromIssues } from "@/lib/server/result";
import { canonicalTitle, countCodePoints, measureTitle, TITLE_MAX } from "./title";

export const MAX_FILES_PER_MMS = 10;
export const MESSAGE_TEXT_MAX = 2000;
export const MAX_RECIPIENTS_PER_CAMPAIGN = 100_000;
/** Beyond this many bad numbers the list of problems stops growing; one summary line stands for the rest. */
const MAX_REPORTED_RECIPIENT_PROBLEMS = 20;

const FILE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const TitleSchema = z
  .string({ error: "Enter a title" })
  .overwrite(canonicalTitle)
  .superRefine((title, ctx) => {
    if (title === "") {
      ctx.addIssue({ code: "custom", message: "Enter a title" });
      return;
    }
    if (/[\r\n]/.test(title)) {
      ctx.addIssue({ code: "custom", message: "The title must be a single line; remove the line breaks." });
    }
    const measure = measureTitle(title);
    if (measure.over) {
      const hint = measure.emojiNote ? ` ${measure.emojiNote}` : "";
      ctx.addIssue({
        code: "custom",
        message: `The title is ${measure.codePoints} characters long; the limit is ${TITLE_MAX}.${hint}`,
      });
    }
  });

export const FileIdSchema = z
  .string({ error: "Choose a file from the library" })
  .regex(FILE_ID, { error: "That file is not in the library any more; choose it again." });

export const FileSetSchema = z
  .array(FileIdSchema, { error: "Choose at least one file" })
  .superRefine((fileIds, ctx) => {
    if (fileIds.length === 0) {
      ctx.addIssue({ code: "custom", message: "Choose at least one file" });
      return;
    }
    if (fileIds.length > MAX_FILES_PER_MMS) {
      ctx.addIssue({
        code: "custom",
        message: `An MMS can carry at most ${MAX_FILES_PER_MMS} files; remove ${fileIds.length - MAX_FILES_PER_MMS}.`,
      });
    }
    const seen = new Set<string>();
    fileIds.forEach((fileId, index) => {
      if (seen.has(fileId)) ctx.addIssue({ code: "custom", message: "That file is already attached", path: [index] });
      seen.add(fileId);
    });
  });

export const MessageTextSchema = z
  .string({ error: "The message text must be text" })
  .trim()
  .superRefine((text, ctx) => {
    const length = countCodePoints(text);
    if (length > MESSAGE_TEXT_MAX) {
      ctx.addIssue({
        code: "custom",
        message:
          `The message text is ${length} characters long; the limit is ${MESSAGE_TEXT_MAX}. ` +
          "The gateway attaches it to the MMS as a text file, and phones show long attachments badly. Shorten it or put the details in an attached file.",
      });
    }
  })
  .optional();

export const RecipientsSchema = z
  .array(z.string({ error: "Each recipient must be a phone number" }), { error: "Add at least one recipient" })
  .superRefine((recipients, ctx) => {
    if (recipients.length === 0) {
      ctx.addIssue({ code: "custom", message: "Add at least one recipient" });
      return;
    }
    if (recipients.length > MAX_RECIPIENTS_PER_CAMPAIGN) {
      ctx.addIssue({
        code: "custom",
        message: `At most 100 000 recipients per campaign; this list has ${formatCount(recipients.length)}. Split it into several campaigns.`,
      });
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
        message: `…and ${formatCount(problems - MAX_REPORTED_RECIPIENT_PROBLEMS)} more recipients with problems. Check the list again.`,
      });
    }
  });

/** Echoes a bad value back without letting a pasted novel flood the message. */
function shown(value: string): string {
  if (value.trim() === "") return "(empty)";
  const codePoints = Array.from(value);
  return codePoints.length > 30 ? `${codePoints.slice(0, 30).join("")}…` : value;
}

function formatCount(n: number): string {
  // Grouped like "100 000", as the limit is written in messages, identically in every browser locale and on the server.
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

export type Clock = () => Date;
const systemClock: Clock = () => new Date(Date.now());

/**
 * Scheduling more than a year ahead is almost always a typo in the year (2062 for 2026), and a message
 * scheduled that far would sit unnoticed in the gateway's queue.
 */
const MAX_SCHEDULE_AHEAD_YEARS = 1;

export function makeScheduleSchema(now: Clock = systemClock) {
  const scheduled = z
    .object({
      mode: z.literal("scheduled"),
      date: z.string({ error: SCHEDULE_FORMAT_MESSAGE }),
      time: z.string({ error: SCHEDULE_FORMAT_MESSAGE }),
    })
    .superRefine((schedule, ctx) => {
      const resolved = scheduleToInstant(schedule.date, schedule.time);
      if (!resolved.ok) {
        ctx.addIssue({ code: "custom", message: resolved.message, path: [resolved.reason === "no-such-date" ? "date" : "time"] });
        return;
      }
      const current = now();
      if (resolved.instant.getTime() <= current.getTime()) {
        ctx.addIssue({
          code: "custom",
          message: `The scheduled time is in the past; pick a time after ${describeSchedule(current)}.`,
          path: ["time"],
        });
        return;
      }
      const latest = addYears(current, MAX_SCHEDULE_AHEAD_YEARS);
      if (resolved.instant.getTime() > latest.getTime()) {
        ctx.addIssue({
          code: "custom",
          message: `The scheduled time is more than a year away; check the year. The latest possible is ${describeSchedule(latest)}.`,
          path: ["date"],
        });
      }
    });

  return z.discriminatedUnion("mode", [z.object({ mode: z.literal("now") }), scheduled], {
    error: "Choose whether to send now or at a scheduled time",
  });
}

export const ScheduleSchema = makeScheduleSchema();
export type Schedule = z.infer<typeof ScheduleSchema>;

/** The instant a valid schedule stands for; null means "send now". */
export function instantOfSchedule(schedule: Schedule): Date | null {
  if (schedule.mode === "now") return null;
  const resolved = scheduleToInstant(schedule.date, schedule.time);
  if (!resolved.ok) throw new Error(`instantOfSchedule needs a validated schedule: ${resolved.message}`);
  return resolved.instant;
}

export function makeComposeSchema(now: Clock = systemClock) {
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

/** Key for problems that belong to the whole form rather than one field. */
export const FORM_ERROR_KEY = "_form";

/** Messages grouped by top-level field: the same shape in the browser and in server answers. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  return fieldErrorsFromIssues(error.issues);
}
