import { randomUUID } from "node:crypto";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";
import type { ActionContext, ActionHandler } from "@/lib/sandbox/action-context";
import { GatewayApiError, INCORRECT_NUMBER } from "@/lib/sandbox/errors";
import { checkFileBytes, decodeBase64File, removeStoredFile, storeFile, type CheckedFile } from "@/lib/sandbox/file-actions";
import { newGatewayId } from "@/lib/sandbox/ids";
import type { GatewayParams } from "@/lib/sandbox/params";
import { normalizeGatewayPhone } from "@/lib/sandbox/phones";
import { mmsLimitExhausted, type MessageWithStatus, type ReportFilters } from "@/lib/sandbox/store";
import { createTimestampFormatter, parseRequestTimestamp, type RequestTimestamp } from "@/lib/sandbox/timestamps";

export const MMS_TITLE_MAX_CODE_POINTS = 40;
export const MMS_MAX_FILES = 10;
/** Reference §5: more than 100 000 numbers fails the whole request and nothing is sent. */
export const MAX_RECIPIENTS_PER_REQUEST = 100_000;
/** Reference §3.4: at most 500 ids per reports query. */
export const MAX_REPORT_IDS = 500;
const DEFAULT_REPORT_LIMIT = 100;
const MAX_REPORT_LIMIT = 500;
/** Per-message price reported by `messages/reports`; the sandbox does not bill. */
const MMS_REPORT_COST = 0.2;

const REPORT_STATUSES = new Set(["delivered", "undelivered", "pending", "sent", "unsent", "in_progress", "saved"]);
const MESSAGE_TYPES = new Set(["eco", "full", "mms", "voice"]);

function optionalTimestamp(params: GatewayParams, name: string): RequestTimestamp | undefined {
  const text = params.string(name)?.trim();
  if (!text) return undefined;
  const parsed = parseRequestTimestamp(text);
  if (!parsed) {
    throw new GatewayApiError(1006, `${name} must be a Warsaw time as YYYY-MM-DD HH:MM[:SS], or ISO 8601 with an offset (got "${text.slice(0, 40)}")`);
  }
  return parsed;
}

/**
 * Inline files (`file`: base64 content, one or a list; PHP docblock "File in base64 encoding", API
 * reference §3.2), decoded and checked like a files/add upload. Stored only when the send is.
 */
async function inlineFiles(params: GatewayParams, context: ActionContext): Promise<CheckedFile[]> {
  const files: CheckedFile[] = [];
  for (const text of params.texts("file")) {
    files.push(await checkFileBytes(decodeBase64File(text, context.maxFileBytes), undefined, "mms", context));
  }
  return files;
}

const sendMms: ActionHandler = async (params, context) => {
  const title = params.requiredString("title");
  // Contact groups (§9.1) are not modelled: every group id is one the sandbox does not know, which is
  // what a gateway answers for an unknown id, rather than silently sending to nobody.
  const groups = params.list("group_id");
  if (groups && groups.length > 0) {
    throw new GatewayApiError(1004, `Unknown contact group: ${groups.slice(0, 10).join(", ")} (the sandbox has no contact groups)`);
  }
  const fileIds = params.list("file_id") ?? [];
  const inlineCount = params.texts("file").length;
  if (fileIds.length === 0 && inlineCount === 0) throw new GatewayApiError(2000, "Missing required parameter: file_id or file");
  const phones = params.list("phone");
  if (!phones || phones.length === 0) throw new GatewayApiError(2000, "Missing required parameter: phone");

  if (title.trim() === "") throw new GatewayApiError(3101, "The MMS title is empty");
  // The gateway is PHP and most likely counts with mb_strlen, i.e. Unicode code points: a flag emoji is 2.
  const titleLength = [...title].length;
  if (titleLength > MMS_TITLE_MAX_CODE_POINTS) {
    throw new GatewayApiError(3102, `The MMS title may have at most ${MMS_TITLE_MAX_CODE_POINTS} characters (got ${titleLength})`);
  }
  if (fileIds.length + inlineCount > MMS_MAX_FILES) {
    throw new GatewayApiError(1006, `An MMS may carry at most ${MMS_MAX_FILES} files (got ${fileIds.length + inlineCount}: file_id and file together)`);
  }
  const known = new Map(context.store.filesByIds(fileIds).map((file) => [file.id, file]));
  const missing = fileIds.filter((id) => known.get(id)?.type !== "mms");
  if (missing.length > 0) throw new GatewayApiError(1004, `Unknown MMS file id: ${[...new Set(missing)].join(", ")}`);
  if (phones.length > MAX_RECIPIENTS_PER_REQUEST) {
    throw new GatewayApiError(1006, `Too many recipients: ${phones.length} numbers, at most ${MAX_RECIPIENTS_PER_REQUEST} per request`);
  }

  const now = context.now();
  const scheduled = optionalTimestamp(params, "date");
  const details = params.boolean("details");
  const test = params.boolean("test");
  const textParam = params.string("text");
  const text = textParam === undefined || textParam === "" ? null : textParam;
  const inline = await inlineFiles(params, context);
  // `unique_id` is accepted and ignored: the sandbox does not model own message ids.

  const recipients = phones.map((given) => ({ given, phone: normalizeGatewayPhone(given) }));
  const validPhones = recipients.flatMap((recipient) => (recipient.phone === null ? [] : [recipient.phone]));
  const unsentPhones = recipients.flatMap((recipient) => (recipient.phone === null ? [recipient.given] : []));
  const sendAt = scheduled && scheduled.at > now ? scheduled.at : now;

  let queuedIds: string[];
  let unsentIds: string[];
  if (test) {
    // Same answer as a real send (including a credit refusal), but nothing is stored or charged.
    const { mmsCredit } = context.store.counters();
    if (validPhones.length > mmsCredit) throw mmsLimitExhausted(validPhones.length, mmsCredit);
    context.store.countTestSend();
    queuedIds = validPhones.map(() => newGatewayId());
    unsentIds = unsentPhones.map(() => newGatewayId());
  } else {
    const created = [];
    for (const file of inline) created.push(await storeFile(context, { ...file, type: "mms", name: `inline.${file.extension}` }));
    try {
      ({ ids: queuedIds, unsentIds } = context.store.acceptSend({
        phones: validPhones,
        unsentPhones,
        title,
        fileIds: [...fileIds, ...created.map((file) => file.id)],
        text,
        queuedAt: now,
        scheduledFor: scheduled?.at ?? null,
        sendAt,
        requestId: randomUUID(),
      }));
    } catch (error) {
      // A refused send (e.g. 3004) keeps nothing, not even the files it brought along.
      for (const file of created) removeStoredFile(context, file.id);
      throw error;
    }
  }

  const answer: Record<string, unknown> = { success: true, queued: validPhones.length, unsent: unsentPhones.length };
  if (details) {
    const queued = formatGatewayTimestamp(new Date(now));
    let nextQueued = 0;
    let nextUnsent = 0;
    answer.items = recipients.map((recipient) =>
      recipient.phone === null
        ? {
            id: unsentIds[nextUnsent++],
            phone: recipient.given,
            status: "unsent",
            queued,
            error_code: INCORRECT_NUMBER.code,
            error_message: INCORRECT_NUMBER.message,
            text: title,
          }
        : { id: queuedIds[nextQueued++], phone: recipient.phone, status: "queued", queued, parts: 1, text: title },
    );
  }
  return answer;
};

/** A lagging gateway (fault plan `reportLagMs`) reports a message only once it has been queued that long. */
function withReportLag(filters: ReportFilters, context: ActionContext): ReportFilters {
  const lagMs = context.reportLagMs();
  if (lagMs <= 0) return filters;
  const visibleBefore = context.now() - lagMs + 1;
  return { ...filters, queuedBefore: Math.min(filters.queuedBefore ?? visibleBefore, visibleBefore) };
}

function reportItem(message: MessageWithStatus, context: ActionContext, stamp: (epochMs: number) => string) {
  const status = message.reportStatus;
  const reachedSent = status === "sent" || status === "delivered" || status === "undelivered";
  const fileIds = JSON.parse(message.fileIds) as string[];
  return {
    id: message.id,
    phone: message.phone,
    status,
    queued: stamp(message.queuedAt),
    sent: reachedSent ? stamp(message.sendAt + context.timeline.sentAfterMs) : null,
    // Filled only for a delivery, not for a failure report: nothing was delivered then.
    delivered: status === "delivered" ? stamp(message.sendAt + context.timeline.finalAfterMs) : null,
    sender: null,
    type: "mms",
    text: message.title,
    parts: 1,
    // An unsent number was refused at once (3103): nothing went out and nothing is billed.
    cost: status === "unsent" ? 0 : MMS_REPORT_COST,
    attachments: fileIds.map((id) => ({ id })),
    reason: status === "undelivered" ? message.plannedReason : null,
  };
}

const reports: ActionHandler = (params, context) => {
  const ids = params.list("id");
  if (ids && ids.length > MAX_REPORT_IDS) {
    throw new GatewayApiError(1006, `At most ${MAX_REPORT_IDS} ids per reports query (got ${ids.length})`);
  }
  const phones = params.list("phone")?.map((phone) => normalizeGatewayPhone(phone) ?? phone);
  const from = optionalTimestamp(params, "date_from");
  const to = optionalTimestamp(params, "date_to");
  const status = params.string("status")?.trim() || undefined;
  if (status !== undefined && !REPORT_STATUSES.has(status)) throw new GatewayApiError(1006, `Unknown status "${status.slice(0, 40)}"`);
  const type = params.string("type")?.trim() || undefined;
  if (type !== undefined && !MESSAGE_TYPES.has(type)) throw new GatewayApiError(1006, `Unknown message type "${type.slice(0, 40)}"`);
  const page = params.integer("page") ?? 1;
  if (page < 1) throw new GatewayApiError(1006, "page must be 1 or more");
  const requestedLimit = params.integer("limit") ?? DEFAULT_REPORT_LIMIT;
  if (requestedLimit < 1) throw new GatewayApiError(1006, "limit must be 1 or more");
  // Clamped rather than refused: the docs only give the maximum, and a gateway that truncates is the safer assumption.
  const limit = Math.min(requestedLimit, MAX_REPORT_LIMIT);
  const order = (params.string("order")?.trim().toLowerCase() || "asc") as string;
  if (order !== "asc" && order !== "desc") throw new GatewayApiError(1006, "order must be asc or desc");

  // Only MMS exist here, and own message ids (unique_id) are not modelled, so those filters match nothing.
  const matchesNothing = (type !== undefined && type !== "mms") || params.list("unique_id")?.length;
  if (matchesNothing || (ids && ids.length === 0) || (phones && phones.length === 0)) {
    return { paging: { page, count: 0 }, items: [] };
  }

  const filters: ReportFilters = {
    ids,
    phones,
    queuedFrom: from?.at,
    // date_to names a whole second (or minute) and includes it: a message queued at 12:00:00.700 is "12:00:00".
    queuedBefore: to ? to.at + (to.hasSeconds ? 1000 : 60_000) : undefined,
    status,
  };
  const stamp = createTimestampFormatter();
  const { total, items } = context.store.report(withReportLag(filters, context), context.now(), context.timeline, {
    offset: (page - 1) * limit,
    limit,
    order,
  });
  return { paging: { page, count: Math.ceil(total / limit) }, items: items.map((message) => reportItem(message, context, stamp)) };
};

const viewMessage: ActionHandler = (params, context) => {
  const id = params.requiredString("id").trim();
  const { items } = context.store.report(withReportLag({ ids: [id] }, context), context.now(), context.timeline, { offset: 0, limit: 1, order: "asc" });
  const message = items[0];
  if (!message) throw new GatewayApiError(1004, `No message with id ${id}`);
  return reportItem(message, context, createTimestampFormatter());
};

const deleteMessages: ActionHandler = (params, context) => {
  const ids = params.list("id") ?? [];
  const uniqueIds = params.list("unique_id") ?? [];
  if (ids.length === 0 && uniqueIds.length === 0) throw new GatewayApiError(2000, "Missing required parameter: id or unique_id");
  const { correct, failed } = context.store.deleteScheduled(ids, context.now());
  // Own message ids are not modelled by the sandbox, so none of them names a message.
  const failedTotal = failed + uniqueIds.length;
  return { success: correct > 0, correct, failed: failedTotal };
};

/** No inbound MMS exist in the sandbox. PHP/Python/Java/Node clients spell it "recived", the 2026 Symfony bundle "received". */
const received: ActionHandler = () => ({ items: [] });

export const messageActions: Record<string, ActionHandler> = {
  "messages/send_mms": sendMms,
  "messages/reports": reports,
  "messages/view": viewMessage,
  "messages/delete": deleteMessages,
  "messages/recived": received,
  "messages/received": received,
};
