import { z } from "zod";
import { normalizePhone } from "@/lib/recipients/phone";
import { parseGatewayTimestamp } from "@/lib/time/warsaw";

/**
 * The parameter names the SerwerSMS panel may use when it pushes to us, in ONE table so they can be
 * corrected in one place (../shared/docs/serwersms-api.md §9.3: the v2 push page is in no stored copy).
 * For each of our fields, the names are tried in order; the first one present wins.
 * - report: `smsid`, `stan` (status), `data` (time) are the only names on record, from the vendor's
 *   old e-commerce module; `id`, `status`, `delivered`, `reason` are the v2 report names (§3.4).
 * - reply: `numer`, `wiadomosc`, `data` from the same module; `phone`, `text`, `recived`/`received`,
 *   `message_id` and the reply's own `id` are the fields of a v2 messages/recived item (§3.4, §9.2).
 * A push that carries a reply text is a reply; otherwise it is a delivery report.
 */
export const PUSH_PARAMETERS = {
  report: {
    messageId: ["smsid", "id"],
    status: ["stan", "status"],
    at: ["delivered", "data"],
    reason: ["reason"],
  },
  reply: {
    text: ["wiadomosc", "text"],
    phone: ["numer", "phone"],
    at: ["data", "recived", "received"],
    messageId: ["message_id"],
    replyId: ["id"],
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;

/** Longest values we keep; a push is a handful of short fields (gateway ids are 10 hex digits). */
const MAX = { id: 64, status: 40, reason: 80, time: 40, phone: 32, text: 2000 } as const;

export type PushedReport = {
  kind: "report";
  messageId: string;
  /** As the gateway sent it: an unknown status is kept, never mapped to a wrong one. */
  status: string;
  reason: string | null;
  /** Gateway time (Warsaw `YYYY-MM-DD HH:MM:SS`), only for a delivery, as messages/reports fills it. */
  deliveredAt: string | null;
};

export type PushedReply = {
  kind: "reply";
  /** E.164 when it reads as a phone number, else as sent. */
  phone: string;
  text: string;
  /** Epoch ms; when the push gives no readable time, when it arrived. */
  receivedAt: number;
  replyId: string | null;
  messageId: string | null;
};

export type PushInvalid = { kind: "invalid"; message: string };

export type ParsedPush = PushedReport | PushedReply | PushInvalid;

type Fields = Readonly<Record<string, string | undefined>>;

/** The first non-empty value among `names`, trimmed, with the name it came under. */
function pick(fields: Fields, names: readonly string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = fields[name]?.trim();
    if (value) return { name, value };
  }
  return null;
}

function tooLong(found: { name: string; value: string } | null, max: number): string | null {
  return found && found.value.length > max ? `${found.name} is longer than ${max} characters` : null;
}

/** Reads one push (query string and body fields together). Pure: the caller stores the result. */
export function parsePush(fields: Fields, now = Date.now()): ParsedPush {
  const names = PUSH_PARAMETERS;
  const text = pick(fields, names.reply.text);
  if (text) {
    const phone = pick(fields, names.reply.phone);
    if (!phone) return { kind: "invalid", message: `A reply needs the sender's number (${names.reply.phone.join(" or ")})` };
    const at = pick(fields, names.reply.at);
    const messageId = pick(fields, names.reply.messageId);
    const replyId = pick(fields, names.reply.replyId);
    const problem =
      tooLong(text, MAX.text) ?? tooLong(phone, MAX.phone) ?? tooLong(at, MAX.time) ?? tooLong(messageId, MAX.id) ?? tooLong(replyId, MAX.id);
    if (problem) return { kind: "invalid", message: problem };
    const normalized = normalizePhone(phone.value);
    return {
      kind: "reply",
      phone: normalized.ok ? normalized.e164 : phone.value,
      text: text.value,
      receivedAt: (at && parseGatewayTimestamp(at.value)?.getTime()) || now,
      replyId: replyId?.value ?? null,
      messageId: messageId?.value ?? null,
    };
  }

  const messageId = pick(fields, names.report.messageId);
  const status = pick(fields, names.report.status);
  if (!messageId || !status) {
    const missing = [!messageId && names.report.messageId.join(" or "), !status && names.report.status.join(" or ")].filter(Boolean);
    return {
      kind: "invalid",
      message: `Neither a delivery report nor a reply: missing ${missing.join(" and ")} (a reply needs ${names.reply.text.join(" or ")})`,
    };
  }
  const at = pick(fields, names.report.at);
  const reason = pick(fields, names.report.reason);
  const problem = tooLong(messageId, MAX.id) ?? tooLong(status, MAX.status) ?? tooLong(at, MAX.time) ?? tooLong(reason, MAX.reason);
  if (problem) return { kind: "invalid", message: problem };
  return {
    kind: "report",
    messageId: messageId.value,
    status: status.value,
    reason: reason?.value ?? null,
    deliveredAt: status.value === "delivered" ? (at?.value ?? null) : null,
  };
}

/** The route's input: flat string fields in, one report or reply out (refused with the parser's message). */
export const PushInputSchema = z.record(z.string(), z.string()).transform((fields, ctx): PushedReport | PushedReply => {
  const parsed = parsePush(fields);
  if (parsed.kind === "invalid") {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed;
});

/** A push is a handful of short fields; 16 KiB is far more than any, and caps what a caller can make us read. */
export const PUSH_BODY_LIMIT_BYTES = 16 * 1024;
