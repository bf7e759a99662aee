import { z } from "zod";
import type { UnreadableItem } from "./types";

/**
 * Raw response shapes of SerwerSMS HTTPS API v2 (see shared docs serwersms-api.md §3). The gateway is
 * a PHP service: numbers sometimes arrive as strings and unknown extra fields appear, so numbers are
 * coerced and objects are loose. Nothing outside lib/serwersms/ sees these shapes.
 *
 * Lists are read item by item (§9.4: "parse each item on its own, keep the rest of the list, and
 * surface the odd item"): an envelope only checks that `items` is a list, and `readEach` parses each
 * entry with its item schema. An item schema refuses only what makes the item useless (no id, no
 * phone to match it by); harmless differences are coerced (numbers ↔ numeric strings, numeric ids,
 * a missing size or date becomes null) and status words are kept as they came.
 */

const looseInt = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));
const optionalText = z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? null : String(v)));
const optionalInt = looseInt.nullish().transform((v) => v ?? null);
/** Ids are 10-hex strings in every example (§3.1); a gateway that sends a number means the same id. */
const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
/** A status or other word: kept exactly as it came, whether or not we list it. */
const word = z.union([z.string().min(1), z.number()]).transform(String);
const phone = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const list = z.array(z.unknown());

export const ErrorEnvelope = z.looseObject({
  error: z.looseObject({
    code: looseInt,
    type: z.string().default("Error"),
    message: z.string().default(""),
  }),
});

export const SuccessFlag = z.looseObject({ success: z.union([z.boolean(), z.literal(1), z.literal(0)]).transform(Boolean) });

export const FileAddResponse = z.looseObject({ success: z.literal(true), id });

export const FileItem = z.looseObject({
  id,
  name: optionalText.transform((v) => v ?? ""),
  size: optionalInt,
  type: optionalText,
  date: optionalText,
});
export const FileIndexResponse = z.looseObject({ items: list });

export const SendItem = z.looseObject({
  id: id.nullish().transform((v) => v ?? null),
  phone,
  status: word,
  queued: optionalText,
  parts: optionalInt,
  error_code: optionalInt,
  error_message: optionalText,
});
export const SendResponse = z.looseObject({
  success: z.union([z.boolean(), z.literal(1), z.literal(0)]).transform(Boolean),
  queued: looseInt.default(0),
  unsent: looseInt.default(0),
  items: list.default([]),
});

export const ReportItem = z.looseObject({
  id,
  phone,
  status: word,
  queued: optionalText,
  sent: optionalText,
  delivered: optionalText,
  type: optionalText,
  text: optionalText,
  reason: optionalText,
  // The files of the message (reference §3.4); "Check with gateway" compares them with the campaign's.
  // An odd shape here costs only that comparison, never the report.
  attachments: z.array(z.looseObject({ id })).nullish().catch(null),
});
export const ReportsResponse = z.looseObject({
  paging: z.looseObject({ page: looseInt, count: looseInt }).nullish(),
  items: list,
});

/**
 * The docs' example answers `{"success":true,"correct":1,"failed":0}`, but the official clients'
 * docblocks promise only `success` (reference §3.4, §9.4): a missing count stays null (unknown),
 * never 0, or a refused cancel would read as "nothing failed".
 */
export const DeleteMessagesResponse = z.looseObject({
  success: z.union([z.boolean(), z.literal(1), z.literal(0)]).transform(Boolean),
  correct: optionalInt,
  failed: optionalInt,
});

export const LimitItem = z.looseObject({
  type: z.string().min(1),
  chars_limit: optionalText,
  value: word,
});
export const LimitsResponse = z.looseObject({
  account: z.looseObject({ type: z.string() }).nullish(),
  items: list,
});

/** The items that could be read, each with its place in the answer, and what could not. */
export type ReadEach<T> = { read: { index: number; value: T }[]; unreadable: UnreadableItem[] };

/**
 * Parses each entry of an answer's `items` on its own. The reason comes from zod's issue message,
 * which names the expected type but never the value (values may be phone numbers).
 */
export function readEach<S extends z.ZodType>(items: readonly unknown[], schema: S): ReadEach<z.output<S>> {
  const result: ReadEach<z.output<S>> = { read: [], unreadable: [] };
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      result.read.push({ index, value: parsed.data });
      return;
    }
    const fields = [...new Set(parsed.error.issues.map((issue) => (issue.path.length > 0 ? String(issue.path[0]) : "(item)")))];
    result.unreadable.push({ index, field: fields.join(", "), reason: parsed.error.issues[0]?.message ?? "invalid" });
  });
  return result;
}
