/**
 * The browser's side of validation: the shared composer schemas (lib/compose/field-schemas.ts) and
 * send options, so people see exactly the server's messages. Loaded with import() after the page is
 * interactive (see useValidation), which keeps zod out of the first-load bundle.
 */
import { z } from "zod";
import { BATCH_SIZE_DEFAULT, BATCH_SIZE_MAX, BATCH_SIZE_MIN } from "@/lib/campaign/lifecycle";
import { CONCURRENCY_DEFAULT, CONCURRENCY_MAX, SendOptionsSchema } from "@/lib/campaign/options";
import {
  fieldErrorsOf,
  FileSetSchema,
  makeScheduleSchema,
  MessageTextSchema,
  RecipientListSizeSchema,
  recipientListSizeProblem,
  TitleSchema,
} from "@/lib/compose/field-schemas";
import type { FieldErrors } from "@/lib/server/result";
import type { ScheduleDraft, SendOptionsDraft } from "./draft";

// Builds the request the send action takes; here rather than in the page bundle because it brings zod.
export { encodeStartCampaignForm } from "@/lib/compose/request-form";

export const SEND_OPTION_LIMITS = {
  batchSize: { min: BATCH_SIZE_MIN, max: BATCH_SIZE_MAX, default: BATCH_SIZE_DEFAULT },
  concurrency: { min: 1, max: CONCURRENCY_MAX, default: CONCURRENCY_DEFAULT },
} as const;

function messagesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => issue.message))];
}

/** The schedule as the request carries it. */
export function scheduleRequest(schedule: ScheduleDraft) {
  return schedule.mode === "now" ? ({ mode: "now" } as const) : ({ mode: "scheduled", date: schedule.date, time: schedule.time } as const);
}

export function resolvedOptions(options: SendOptionsDraft) {
  return {
    batchSize: options.batchSize ?? SEND_OPTION_LIMITS.batchSize.default,
    concurrency: options.concurrency ?? SEND_OPTION_LIMITS.concurrency.default,
  };
}

export const titleErrors = (title: string) => messagesOf(TitleSchema, title);
export const fileErrors = (fileIds: string[]) => messagesOf(FileSetSchema, fileIds);
export const textErrors = (text: string) => messagesOf(MessageTextSchema, text);
export const optionErrors = (options: SendOptionsDraft) => messagesOf(SendOptionsSchema, resolvedOptions(options));
export const scheduleErrors = (schedule: ScheduleDraft, now: Date) => messagesOf(makeScheduleSchema(() => now), scheduleRequest(schedule));

/** Live check of the list length while the worker's plan is shown; the full schema runs on submit. */
export function recipientCountErrors(count: number): string[] {
  const problem = recipientListSizeProblem(count);
  return problem ? [problem] : [];
}

export type ComposeValues = {
  title: string;
  fileIds: string[];
  text: string;
  recipients: string[];
  schedule: ScheduleDraft;
  options: SendOptionsDraft;
};

/** Everything the server checks before it sends, keyed by the same field names as its fieldErrors. */
export function validateCompose(values: ComposeValues, now: Date): FieldErrors {
  const schema = z.object({
    title: TitleSchema,
    fileIds: FileSetSchema,
    text: MessageTextSchema,
    recipients: RecipientListSizeSchema,
    schedule: makeScheduleSchema(() => now),
    options: SendOptionsSchema,
  });
  const result = schema.safeParse({
    ...values,
    schedule: scheduleRequest(values.schedule),
    options: resolvedOptions(values.options),
  });
  return result.success ? {} : fieldErrorsOf(result.error);
}
