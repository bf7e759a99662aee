/**
 * The composer schemas the browser loads: everything except the per-number recipient check, which needs
 * libphonenumber's metadata (about 80 kB gzipped). That belongs in the recipients worker only, so
 * nothing here may import lib/recipients/phone; schemas.ts adds the recipient check for the server and
 * re-exports all of this, so both sides still run the very same schemas and show the same messages.
 */
import { addYears } from "date-fns";
import { z } from "zod";
import { describeSchedule, SCHEDULE_FORMAT_MESSAGE, scheduleToInstant } from "@/lib/schedule/format";
import { fieldErrorsFromIssues } from "@/lib/server/result";
import { formatBytes } from "@/lib/format/units";
import { MAX_FILES_PER_MMS, MAX_RECIPIENTS_PER_CAMPAIGN, MESSAGE_TEXT_MAX, RECIPIENT_LIST_MAX_BYTES } from "./limits";
import { canonicalTitle, countCodePoints, measureTitle, TITLE_MAX } from "./title";

export { MAX_FILES_PER_MMS, MAX_RECIPIENTS_PER_CAMPAIGN, MESSAGE_TEXT_MAX };

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

export const NO_RECIPIENTS_MESSAGE = "Add at least one recipient";

const AT_MOST_RECIPIENTS = `At most ${groupDigits(MAX_RECIPIENTS_PER_CAMPAIGN)} recipients per campaign`;

/** The one check of a recipient list that needs no phone metadata: its length. Null when the length is fine. */
export function recipientListSizeProblem(count: number): string | null {
  if (count === 0) return NO_RECIPIENTS_MESSAGE;
  if (count > MAX_RECIPIENTS_PER_CAMPAIGN) {
    return `${AT_MOST_RECIPIENTS}; this list has ${groupDigits(count)}. Split it into several campaigns.`;
  }
  return null;
}

/** A packed list (lib/compose/request-form.ts) of more bytes than any full list of E.164 numbers takes: refused before it is read. */
export function recipientListBytesProblem(bytes: number): string | null {
  if (bytes <= RECIPIENT_LIST_MAX_BYTES) return null;
  return (
    `${AT_MOST_RECIPIENTS}; this list is ${formatBytes(bytes)}, larger than ${groupDigits(MAX_RECIPIENTS_PER_CAMPAIGN)} phone numbers can be ` +
    `(${formatBytes(RECIPIENT_LIST_MAX_BYTES)}). Split it into several campaigns.`
  );
}

/**
 * What the browser checks about the numbers the recipients worker accepted (the worker already ran
 * each one through the same phone normaliser RecipientsSchema uses).
 */
export const RecipientListSizeSchema = z
  .array(z.string({ error: "Each recipient must be a phone number" }), { error: NO_RECIPIENTS_MESSAGE })
  .superRefine((recipients, ctx) => {
    const problem = recipientListSizeProblem(recipients.length);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export function groupDigits(n: number): string {
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

/** Key for problems that belong to the whole form rather than one field. */
export const FORM_ERROR_KEY = "_form";

/** Messages grouped by top-level field: the same shape in the browser and in server answers. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  return fieldErrorsFromIssues(error.issues);
}
