import "server-only";
import type { z } from "zod";
import type { GatewayAuth } from "@/lib/config/env";
import { INVALID_ACTION, isKnownGatewayCode } from "./error-codes";
import {
  GatewayClientError,
  GatewayError,
  GatewayHttpError,
  GatewayMalformedResponseError,
  GatewayNetworkError,
  GatewayTimeoutError,
} from "./errors";
import type {
  AccountLimits,
  DeleteMessagesResult,
  DeliveryReport,
  FileIndexPage,
  GatewayFile,
  GatewayFileType,
  LimitValue,
  ReportsPage,
  ReportsQuery,
  SendMmsRequest,
  SendMmsResult,
  UnreadableItem,
} from "./types";
import {
  base64JsonUploadBody,
  inMemoryUploadEncodingMemory,
  isFileNotReadRefusal,
  type UploadEncoding,
  type UploadEncodingMemory,
  type UploadEncodingSetting,
} from "./upload";
import * as wire from "./wire";

export type RetryPolicy = {
  /** Total attempts for read actions, including the first. Sends always get exactly one. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller instead. */
  maxRetryAfterMs: number;
};

export type GatewayCallEvent = {
  action: string;
  attempt: number;
  durationMs: number;
  outcome: "ok" | GatewayClientError["kind"];
};

/** Items of one answer that could not be read: reported once per answer (no item content: it may hold phone numbers). */
export type UnreadableReport = { action: string; total: number; unreadable: UnreadableItem[] };

export type GatewayClientOptions = {
  baseUrl: string;
  auth: GatewayAuth;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Observability hook (tests, bench, logs). Receives no bodies and no credentials. */
  onCall?: (event: GatewayCallEvent) => void;
  /** Called once per answer with items that could not be read; by default one console.warn line. */
  onUnreadable?: (report: UnreadableReport) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** How files.upload sends `file` (SERWERSMS_UPLOAD_ENCODING; default "auto", see ./upload.ts). */
  uploadEncoding?: UploadEncodingSetting;
  /** Where "auto" remembers the encoding that worked, per gateway URL; default: this client's lifetime only. */
  uploadEncodingMemory?: UploadEncodingMemory;
};

type CallOptions = { signal?: AbortSignal; retryable: boolean; timeoutMs?: number };

/** A JSON body produced as a stream (the base64 upload), with its credentials and `system` already inside. */
class StreamedJsonBody {
  constructor(readonly body: { stream: () => ReadableStream<Uint8Array>; length: number }) {}
}
type Body = Record<string, unknown> | FormData | StreamedJsonBody;

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };

/** Connection failures that happen before any byte of the request reached the gateway. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

const CLIENT_SYSTEM_ID = "client_mms_dashboard";

/** `error/<code>` is a small read; a refusal is already in hand, so it must not keep the caller waiting long. */
const DESCRIBE_TIMEOUT_MS = 5_000;

/** The one log line for an answer with unreadable items: action, counts, fields, never values. */
function logUnreadable({ action, total, unreadable }: UnreadableReport): void {
  const fields = [...new Set(unreadable.flatMap((item) => item.field.split(", ")))].join(", ");
  console.warn(`[serwersms] ${action}: ${unreadable.length} of ${total} items in the gateway's answer could not be read and were left out (fields: ${fields})`);
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;

export function createGatewayClient(options: GatewayClientOptions) {
  const baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const onUnreadable = options.onUnreadable ?? logUnreadable;
  /**
   * The gateway's own description of codes the app does not know, asked once per code and kept for
   * the life of the process (this client is process-wide: lib/serwersms/index.ts). A later issue
   * moves such caches to the database. A failed lookup is forgotten so a later refusal asks again.
   */
  const descriptions = new Map<number, Promise<string | null>>();
  const uploadEncoding = options.uploadEncoding ?? "auto";
  const uploadEncodingMemory = options.uploadEncodingMemory ?? inMemoryUploadEncodingMemory();

  function authHeaders(): Record<string, string> {
    return options.auth.kind === "token" ? { authorization: `Bearer ${options.auth.token}` } : {};
  }

  function authFields(): Record<string, string> {
    return options.auth.kind === "credentials"
      ? { username: options.auth.username, password: options.auth.password }
      : {};
  }

  function encode(body: Body): { body: BodyInit; headers: Record<string, string>; duplex?: "half" } {
    if (body instanceof StreamedJsonBody) {
      // undici fetch takes a ReadableStream body only with duplex "half" (Node's fetch, WHATWG fetch
      // "duplex" member); the exact Content-Length spares the gateway a chunked upload.
      return {
        body: body.body.stream(),
        headers: { "content-type": "application/json", "content-length": String(body.body.length), accept: "application/json" },
        duplex: "half",
      };
    }
    if (body instanceof FormData) {
      for (const [key, value] of Object.entries({ ...authFields(), system: CLIENT_SYSTEM_ID })) body.set(key, value);
      return { body, headers: { accept: "application/json" } };
    }
    const withoutUndefined = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    return {
      body: JSON.stringify({ ...withoutUndefined, ...authFields(), system: CLIENT_SYSTEM_ID }),
      headers: { "content-type": "application/json", accept: "application/json" },
    };
  }

  async function attemptOnce(action: string, body: Body, call: CallOptions): Promise<unknown> {
    const limitMs = call.timeoutMs ?? timeoutMs;
    const timeout = AbortSignal.timeout(limitMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const encoded = encode(body);
    // `.json` selects JSON explicitly; the official PHP client and the docs' curl example use it.
    const url = new URL(`${action}.json`, baseUrl);
    let response: Response;
    let text: string;
    try {
      const init: RequestInit & { duplex?: "half" } = {
        method: "POST",
        headers: { ...encoded.headers, ...authHeaders() },
        body: encoded.body,
        signal,
        redirect: "error",
      };
      if (encoded.duplex) init.duplex = encoded.duplex;
      response = await doFetch(url, init);
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new GatewayTimeoutError(action, limitMs);
      if (call.signal?.aborted) throw call.signal.reason ?? error;
      const code = lowLevelCode(error);
      throw new GatewayNetworkError(action, code, !(code && NOT_SENT_CODES.has(code)));
    }

    let json: unknown;
    let parsedJson = false;
    try {
      json = JSON.parse(text);
      parsedJson = true;
    } catch {
      json = undefined;
    }
    // The gateway reports refusals as HTTP 200 + {"error":{...}}; accept the envelope at any status.
    const envelope = parsedJson ? wire.ErrorEnvelope.safeParse(json) : null;
    if (envelope?.success) {
      const { code, type, message } = envelope.data.error;
      const description = isKnownGatewayCode(code) || action.startsWith("error/") ? null : await describeCode(code, call.signal);
      throw new GatewayError(action, code, type, message, response.status, description);
    }
    if (response.status !== 200) {
      throw new GatewayHttpError(action, response.status, retryAfterMs(response.headers.get("retry-after")));
    }
    if (!parsedJson) throw new GatewayMalformedResponseError(action, "not JSON");
    return json;
  }

  async function call<S extends z.ZodType>(action: string, body: Body, schema: S, callOptions: CallOptions): Promise<z.output<S>> {
    const attempts = callOptions.retryable ? Math.max(1, retry.attempts) : 1;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const json = await attemptOnce(action, body, callOptions);
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new GatewayMalformedResponseError(
            action,
            `field ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
          );
        }
        options.onCall?.({ action, attempt, durationMs: performance.now() - started, outcome: "ok" });
        return parsed.data;
      } catch (error) {
        const kind = error instanceof GatewayClientError ? error.kind : "network";
        options.onCall?.({ action, attempt, durationMs: performance.now() - started, outcome: kind });
        const delay = attempt < attempts ? retryDelay(error, attempt) : null;
        if (delay === null) throw error;
        await sleep(delay);
        if (callOptions.signal?.aborted) throw callOptions.signal.reason ?? error;
      }
    }
  }

  /**
   * `error/<code>` (docs §1.1, general-communications): the gateway answers with its error envelope
   * for that code; 2002 (or anything else) means it has no description to give.
   */
  function describeCode(code: number, signal?: AbortSignal): Promise<string | null> {
    let known = descriptions.get(code);
    if (!known) {
      known = call(`error/${code}`, {}, wire.SuccessFlag, { signal, retryable: false, timeoutMs: Math.min(timeoutMs, DESCRIBE_TIMEOUT_MS) }).then(
        () => null,
        (error: unknown) => {
          if (error instanceof GatewayError) return error.code === code ? error.gatewayMessage || error.type : null;
          descriptions.delete(code);
          return null;
        },
      );
      descriptions.set(code, known);
    }
    return known;
  }

  /** Reads an answer's items one by one, reporting the unreadable ones once for the whole answer. */
  function readItems<S extends z.ZodType>(action: string, items: readonly unknown[], schema: S): wire.ReadEach<z.output<S>> {
    const result = wire.readEach(items, schema);
    if (result.unreadable.length > 0) onUnreadable({ action, total: items.length, unreadable: result.unreadable });
    return result;
  }

  async function index(type: GatewayFileType, signal?: AbortSignal): Promise<FileIndexPage> {
    const res = await call("files/index", { type }, wire.FileIndexResponse, read(signal));
    const { read: files, unreadable } = readItems("files/index", res.items, wire.FileItem);
    return { items: files.map(({ value }) => toGatewayFile(value)), unreadable };
  }

  /** Null = do not retry. Only transient failures of idempotent reads come here. */
  function retryDelay(error: unknown, attempt: number): number | null {
    if (!(error instanceof GatewayClientError)) return null;
    const transient =
      error.kind === "network" ||
      error.kind === "timeout" ||
      (error instanceof GatewayHttpError && (error.status === 429 || error.status >= 500));
    if (!transient) return null;
    if (error instanceof GatewayHttpError && error.retryAfterMs !== null) {
      return error.retryAfterMs <= retry.maxRetryAfterMs ? error.retryAfterMs : null;
    }
    // Full jitter: spreads retries of parallel callers instead of hammering the gateway in step.
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(random() * ceiling);
  }

  const read = (signal?: AbortSignal): CallOptions => ({ signal, retryable: true });
  const write = (signal?: AbortSignal, timeout?: number): CallOptions => ({ signal, retryable: false, timeoutMs: timeout });

  return {
    baseUrl,

    files: {
      async addFromUrl(input: { url: string; name?: string; type?: GatewayFileType }, signal?: AbortSignal) {
        const res = await call("files/add", { type: input.type ?? "mms", url: input.url, name: input.name }, wire.FileAddResponse, write(signal));
        return { id: res.id };
      },

      /**
       * Upload from disk (files/add `file`; docs: "url must stay empty"), in the configured encoding:
       * base64 in a streamed JSON body (what the official PY/PHP clients send) or a multipart part.
       * "auto" starts with base64, retries once as multipart when the gateway answers that `file` is
       * missing or invalid (./upload.ts: isFileNotReadRefusal), and remembers per gateway URL what
       * worked so later uploads go straight to it (should that one be refused the same way later, the
       * other gets one try and is remembered instead). Pass a file-backed Blob (fs.openAsBlob): both
       * encodings stream it from disk instead of copying it into memory.
       */
      async upload(input: { bytes: Uint8Array | Blob; name: string; contentType: string }, signal?: AbortSignal) {
        const file = input.bytes instanceof Blob ? input.bytes : new Blob([input.bytes as Uint8Array<ArrayBuffer>], { type: input.contentType });
        // Large files over slow links need longer than a JSON call.
        const options = write(signal, Math.max(timeoutMs, 120_000));
        const send = async (encoding: UploadEncoding) => {
          const body: Body =
            encoding === "base64"
              ? new StreamedJsonBody(base64JsonUploadBody({ type: "mms", name: input.name, ...authFields(), system: CLIENT_SYSTEM_ID }, file))
              : multipartUpload(file, input.name);
          return (await call("files/add", body, wire.FileAddResponse, options)).id;
        };
        if (uploadEncoding !== "auto") return { id: await send(uploadEncoding) };

        const first = uploadEncodingMemory.recall(baseUrl) ?? "base64";
        const other: UploadEncoding = first === "base64" ? "multipart" : "base64";
        let used = first;
        let id: string;
        try {
          id = await send(first);
        } catch (error) {
          if (!isFileNotReadRefusal(error)) throw error;
          // Once, in the other encoding: also when a remembered one stopped working (the gateway changed).
          try {
            id = await send(other);
          } catch (retryError) {
            // Refused as missing again: the gateway reads neither, and the first answer says more.
            throw retryError instanceof GatewayError && retryError.code === 2000 ? error : retryError;
          }
          used = other;
        }
        if (uploadEncodingMemory.recall(baseUrl) !== used) uploadEncodingMemory.remember(baseUrl, used);
        return { id };
      },

      /** files/index with what could not be read; a person looking at the list must be told about that. */
      async index(type: GatewayFileType = "mms", signal?: AbortSignal): Promise<FileIndexPage> {
        return index(type, signal);
      },

      /** The readable files of files/index (for lookups by id; the unreadable ones were logged). */
      async list(type: GatewayFileType = "mms", signal?: AbortSignal): Promise<GatewayFile[]> {
        return (await index(type, signal)).items;
      },

      async view(id: string, type: GatewayFileType = "mms", signal?: AbortSignal): Promise<GatewayFile> {
        return toGatewayFile(await call("files/view", { id, type }, wire.FileItem, read(signal)));
      },

      async remove(id: string, type: GatewayFileType = "mms", signal?: AbortSignal): Promise<boolean> {
        return (await call("files/delete", { id, type }, wire.SuccessFlag, write(signal))).success;
      },

    },

    messages: {
      /** Never retried: a repeated send could reach recipients twice. */
      async sendMms(input: SendMmsRequest, signal?: AbortSignal): Promise<SendMmsResult> {
        const res = await call(
          "messages/send_mms",
          {
            phone: input.phones,
            title: input.title,
            file_id: input.fileIds,
            text: input.text || undefined,
            date: input.date,
            test: input.test ? true : undefined,
            details: true,
          },
          wire.SendResponse,
          write(signal),
        );
        const { read: items, unreadable } = readItems("messages/send_mms", res.items, wire.SendItem);
        return {
          success: res.success,
          queued: res.queued,
          unsent: res.unsent,
          recipients: items.map(({ index, value: item }) => ({
            index,
            messageId: item.id,
            phone: item.phone,
            status: item.status,
            queuedAt: item.queued,
            parts: item.parts,
            errorCode: item.error_code,
            errorMessage: item.error_message,
          })),
          unreadable,
          itemCount: res.items.length,
        };
      },

      async reports(query: ReportsQuery, signal?: AbortSignal): Promise<ReportsPage> {
        if (query.ids && query.ids.length > 500) throw new RangeError("messages/reports accepts at most 500 ids per call");
        const res = await call(
          "messages/reports",
          {
            id: query.ids,
            phone: query.phones,
            date_from: query.dateFrom,
            date_to: query.dateTo,
            status: query.status,
            type: "mms",
            page: query.page,
            limit: query.limit,
          },
          wire.ReportsResponse,
          read(signal),
        );
        const { read: items, unreadable } = readItems("messages/reports", res.items, wire.ReportItem);
        return {
          reports: items.map(({ value }) => toDeliveryReport(value)),
          unreadable,
          page: res.paging?.page ?? query.page ?? 1,
          pageCount: res.paging?.count ?? 1,
        };
      },

      async view(id: string, signal?: AbortSignal): Promise<DeliveryReport> {
        return toDeliveryReport(await call("messages/view", { id }, wire.ReportItem, read(signal)));
      },

      /**
       * Cancels scheduled messages (only those not sent yet can be deleted). The answer alone does not
       * prove which ones went: lib/campaign/cancel.ts decides what it confirms.
       */
      async remove(ids: string[], signal?: AbortSignal): Promise<DeleteMessagesResult> {
        const res = await call("messages/delete", { id: ids }, wire.DeleteMessagesResponse, write(signal));
        return { success: res.success, deleted: res.correct, failed: res.failed };
      },
    },

    account: {
      async limits(signal?: AbortSignal): Promise<AccountLimits> {
        const res = await call("account/limits", {}, wire.LimitsResponse, read(signal));
        const { read: limits, unreadable } = readItems("account/limits", res.items, wire.LimitItem);
        const items = limits.map(({ value: item }) => ({ type: item.type, charsLimit: item.chars_limit, value: toLimitValue(item.value) }));
        return { accountType: res.account?.type ?? null, items, mms: items.find((item) => item.type === "mms")?.value ?? null, unreadable };
      },
    },
  };
}

function multipartUpload(file: Blob, name: string): FormData {
  const form = new FormData();
  form.set("type", "mms");
  form.set("name", name);
  form.set("file", file, name);
  return form;
}

function toGatewayFile(item: z.output<typeof wire.FileItem>): GatewayFile {
  return { id: item.id, name: item.name, size: item.size, type: item.type, uploadedAt: item.date };
}

function toDeliveryReport(item: z.output<typeof wire.ReportItem>): DeliveryReport {
  return {
    messageId: item.id,
    phone: item.phone,
    status: item.status,
    queuedAt: item.queued,
    sentAt: item.sent,
    deliveredAt: item.delivered,
    reason: item.reason,
    title: item.text,
    fileIds: item.attachments ? item.attachments.map((attachment) => attachment.id) : null,
  };
}

/** A count, or the gateway's word kept as it came: an unknown word is not "not available". */
function toLimitValue(value: string): LimitValue {
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function lowLevelCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
