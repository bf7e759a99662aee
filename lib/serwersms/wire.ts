import { z } from "zod";

/**
 * Raw response shapes of SerwerSMS HTTPS API v2 (see shared docs serwersms-api.md §3). The gateway is
 * a PHP service: numbers sometimes arrive as strings and unknown extra fields appear, so numbers are
 * coerced and objects are loose. Nothing outside lib/serwersms/ sees these shapes.
 */

const looseInt = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));
const optionalText = z.string().nullish().transform((v) => v ?? null);
const optionalInt = looseInt.nullish().transform((v) => v ?? null);

export const ErrorEnvelope = z.looseObject({
  error: z.looseObject({
    code: looseInt,
    type: z.string().default("Error"),
    message: z.string().default(""),
  }),
});

export const SuccessFlag = z.looseObject({ success: z.union([z.boolean(), z.literal(1), z.literal(0)]).transform(Boolean) });

export const FileAddResponse = z.looseObject({ success: z.literal(true), id: z.string().min(1) });

export const FileItem = z.looseObject({
  id: z.string().min(1),
  name: z.string().default(""),
  size: looseInt,
  type: z.string(),
  date: z.string(),
});
export const FileIndexResponse = z.looseObject({ items: z.array(FileItem) });

export const SendItem = z.looseObject({
  id: optionalText,
  phone: z.string(),
  status: z.enum(["queued", "unsent"]),
  queued: optionalText,
  parts: optionalInt,
  error_code: optionalInt,
  error_message: optionalText,
});
export const SendResponse = z.looseObject({
  success: z.union([z.boolean(), z.literal(1), z.literal(0)]).transform(Boolean),
  queued: looseInt.default(0),
  unsent: looseInt.default(0),
  items: z.array(SendItem).default([]),
});

export const ReportStatus = z.enum(["delivered", "undelivered", "pending", "sent", "unsent", "in_progress", "saved"]);
export const ReportItem = z.looseObject({
  id: z.string(),
  phone: z.string(),
  status: ReportStatus,
  queued: optionalText,
  sent: optionalText,
  delivered: optionalText,
  type: optionalText,
  text: optionalText,
  reason: optionalText,
  attachments: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) })).nullish(),
});
export const ReportsResponse = z.looseObject({
  paging: z.looseObject({ page: looseInt, count: looseInt }).nullish(),
  items: z.array(ReportItem),
});

export const DeleteMessagesResponse = z.looseObject({
  success: z.union([z.boolean(), z.literal(1), z.literal(0)]).transform(Boolean),
  correct: looseInt.default(0),
  failed: looseInt.default(0),
});

export const LimitsResponse = z.looseObject({
  account: z.looseObject({ type: z.string() }).nullish(),
  items: z.array(
    z.looseObject({
      type: z.string(),
      chars_limit: z.union([z.string(), z.number()]).transform(String).nullish(),
      value: z.union([z.string(), z.number()]).transform(String),
    }),
  ),
});
