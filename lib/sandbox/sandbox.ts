import fs from "node:fs";
import path from "node:path";
import { accountActions } from "@/lib/sandbox/account-actions";
import type { ActionContext, ActionHandler } from "@/lib/sandbox/action-context";
import { ADMIN_PREFIX, adminActions } from "@/lib/sandbox/admin";
import { authorizationHeader, bodyCredentialsMatch, type SandboxCredentials } from "@/lib/sandbox/auth";
import { authenticatedBodyLimit, UNAUTHENTICATED_LIMIT } from "@/lib/sandbox/body-limits";
import { isCrossSiteBrowserRequest } from "@/lib/sandbox/cross-site";
import { DEFAULT_DELIVERY_TIMELINE } from "@/lib/sandbox/delivery";
import { droppedConnectionResponse } from "@/lib/sandbox/drop";
import { GatewayApiError, describeErrorCode, errorResponse, jsonResponse } from "@/lib/sandbox/errors";
import { FAULTS_AFTER_ACCEPT, FaultController, type FaultPlan, type FaultRule } from "@/lib/sandbox/faults";
import { fileActions } from "@/lib/sandbox/file-actions";
import { messageActions } from "@/lib/sandbox/message-actions";
import { miscActions } from "@/lib/sandbox/misc-actions";
import { parseGatewayParams } from "@/lib/sandbox/params";
import { SandboxPusher } from "@/lib/sandbox/push";
import type { StoredMessage } from "@/lib/sandbox/store";
import { SandboxStore } from "@/lib/sandbox/store";
import { createTimestampFormatter } from "@/lib/sandbox/timestamps";
import type { LedgerEntry, Sandbox, SandboxOptions } from "@/lib/sandbox/types";

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MMS_LIMIT = 1_000_000;
/** A hung request gives up after this long even if the client never disconnects. */
const MAX_HANG_MS = 10 * 60 * 1000;

/** The action whose concurrency stats() reports (maxConcurrentSendMms). */
const SEND_MMS_ACTION = "messages/send_mms";

const gatewayActions: Record<string, ActionHandler> = { ...fileActions, ...messageActions, ...accountActions, ...miscActions };

/** `error/<code>`: the documented envelope for a code (reference §1.1), 2002 for an unknown one. */
function errorLookup(code: string): ActionHandler {
  return () => {
    const described = /^\d{1,6}$/.test(code) ? describeErrorCode(Number(code)) : null;
    if (!described) throw new GatewayApiError(2002, `Unknown error code: ${code.slice(0, 20)}`);
    return { error: { code: Number(code), ...described } };
  };
}

function resolveGatewayAction(action: string): ActionHandler | undefined {
  if (Object.prototype.hasOwnProperty.call(gatewayActions, action)) return gatewayActions[action];
  const errorCode = /^error\/([^/]+)$/.exec(action);
  return errorCode?.[1] !== undefined ? errorLookup(errorCode[1]) : undefined;
}

function toLedgerEntry(message: StoredMessage, stamp: (epochMs: number) => string): LedgerEntry {
  return {
    id: message.id,
    phone: message.phone,
    title: message.title,
    fileIds: JSON.parse(message.fileIds) as string[],
    text: message.text,
    // store.ledger() leaves out "unsent" rows: those numbers were never accepted for sending.
    status: message.status as LedgerEntry["status"],
    queuedAt: stamp(message.queuedAt),
    scheduledFor: message.scheduledFor === null ? null : stamp(message.scheduledFor),
    sendCall: message.sendCall,
    requestId: message.requestId,
  };
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const credentials: SandboxCredentials = { token: options.token, username: options.username, password: options.password };
  const filesDir = path.join(options.dataDir, "files");
  fs.mkdirSync(filesDir, { recursive: true });
  const store = new SandboxStore(options.dbPath, options.mmsLimit ?? DEFAULT_MMS_LIMIT);
  const faults = new FaultController(options.faults);
  const baseClock = options.now ?? Date.now;
  let uploadEncodings = options.uploadEncodings ?? "both";
  const context: ActionContext = {
    store,
    now: () => baseClock() + store.counters().clockOffsetMs,
    timeline: options.deliveryTimeline ?? DEFAULT_DELIVERY_TIMELINE,
    reportLagMs: () => faults.reportLagMs,
    maxFileBytes,
    filesDir,
    urlAllowlist: options.urlAllowlist ?? [],
    uploadEncodings: () => uploadEncodings,
  };
  const pusher = new SandboxPusher(store, context.now, context.timeline, options.pushUrl);
  // Hung requests (timeout faults) are released on close() so a stopped sandbox never pins the process.
  // Under Next a hang can also outlive the client: request.signal there follows Next's own signal through
  // a Request copy, and Node 20's undici may lose that link after a GC (nodejs/undici#4068,
  // nodejs/node#55428), so the hang then ends at MAX_HANG_MS. startSandboxServer is not affected.
  const pendingHangs = new Set<() => void>();
  let closed = false;
  /** messages/send_mms requests being handled now, and the most at once since start or reset() (in memory, this instance only). */
  const sendMms = { inFlight: 0, maxConcurrent: 0 };

  function holdUntilClientLeaves(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || closed) return resolve();
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", finish);
        pendingHangs.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, MAX_HANG_MS);
      timer.unref?.();
      signal.addEventListener("abort", finish, { once: true });
      pendingHangs.add(finish);
    });
  }

  async function faultResponse(rule: FaultRule, signal: AbortSignal): Promise<Response> {
    switch (rule.kind) {
      case "http500":
        return new Response("<html><body><h1>500 Internal Server Error</h1></body></html>", {
          status: 500,
          headers: { "content-type": "text/html; charset=utf-8" },
        });
      case "http429":
        return new Response("Too Many Requests", {
          status: 429,
          headers: { "content-type": "text/plain; charset=utf-8", "retry-after": String(rule.retryAfterSeconds ?? 1) },
        });
      case "error": {
        const code = rule.code ?? 1000; // always set: FaultController refuses "error" rules without a code
        const described = describeErrorCode(code) ?? { type: "Error", message: `Injected sandbox error ${code}` };
        return jsonResponse({ error: { code, ...described } });
      }
      case "answer":
      case "answerAfterAccept":
        return jsonResponse(rule.answer ?? {});
      case "garbage":
        // What a proxy in front of the gateway answers on a bad day: 200, but an HTML page, not JSON.
        return new Response("<html><body>Service temporarily unavailable</body></html>", {
          status: 200,
          headers: { "content-type": "text/html; charset=utf-8" },
        });
      case "timeoutBeforeAccept":
      case "timeoutAfterAccept":
        await holdUntilClientLeaves(signal);
        return droppedConnectionResponse();
      case "reset":
      case "resetAfterAccept":
        return droppedConnectionResponse();
    }
  }

  async function runGatewayAction(request: Request, action: string): Promise<Response> {
    const handler = resolveGatewayAction(action);
    if (!handler) return errorResponse(1000, `Invalid action: ${action.slice(0, 100)}`);
    // The credentials decide how much body is read at all (lib/sandbox/body-limits.ts): a wrong token
    // is refused before the first byte, a caller without one gets only a small body to prove itself.
    const header = authorizationHeader(request, credentials);
    if (header === "invalid") return errorResponse(1001);
    try {
      const params = await parseGatewayParams(request, header === "valid" ? authenticatedBodyLimit(action, maxFileBytes) : UNAUTHENTICATED_LIMIT);
      if (header === "absent" && !bodyCredentialsMatch(params, credentials)) return errorResponse(1001);
      return jsonResponse(await handler(params, context));
    } catch (error) {
      if (error instanceof GatewayApiError) return errorResponse(error.code, error.message);
      throw error;
    }
  }

  async function runAdminAction(request: Request, action: string): Promise<Response> {
    const handler = admin[action];
    if (!handler) return errorResponse(1000, `Invalid action: ${action.slice(0, 100)}`);
    if (request.method !== "POST") return errorResponse(1000, "Only POST requests are accepted");
    // Admin calls are judged by the Bearer token only; username/password in a body are not enough.
    if (authorizationHeader(request, credentials) !== "valid") return errorResponse(1001);
    try {
      const params = await parseGatewayParams(request, authenticatedBodyLimit(action, maxFileBytes));
      return jsonResponse(await handler(params));
    } catch (error) {
      if (error instanceof GatewayApiError) return errorResponse(error.code, error.message);
      throw error;
    }
  }

  async function dispatch(request: Request, rawAction: string): Promise<Response> {
    // Before anything else, admin paths included: another site's page must not act through a browser.
    if (isCrossSiteBrowserRequest(request)) {
      return errorResponse(1005, "Cross-site browser requests are refused: call the sandbox from a server or a script, not from another site's page");
    }
    const pathName = rawAction.replace(/^\/+|\/+$/g, "");
    const action = pathName.replace(/\.json$/i, "");
    // Admin paths, and the faults/latency that apply to gateway calls, are kept apart so a test can
    // always reach the controls, even while every gateway call is failing.
    if (options.adminEnabled && action.startsWith(ADMIN_PREFIX)) return runAdminAction(request, action);

    store.countRequest();
    if (action !== SEND_MMS_ACTION) return dispatchGateway(request, pathName, action);
    // Counted from arrival to answer (latency, faults and hangs included): what a client's cap on
    // requests in flight must keep at or under its limit.
    sendMms.inFlight++;
    sendMms.maxConcurrent = Math.max(sendMms.maxConcurrent, sendMms.inFlight);
    try {
      return await dispatchGateway(request, pathName, action);
    } finally {
      sendMms.inFlight--;
    }
  }

  async function dispatchGateway(request: Request, pathName: string, action: string): Promise<Response> {
    if (request.method !== "POST") return errorResponse(1000, "Only POST requests are accepted");
    if (/\.xml$/i.test(pathName)) {
      return errorResponse(1000, "XML responses are not supported by the sandbox: call the action without a suffix or with .json");
    }

    const latencyMs = faults.latencyMs ?? options.latencyMs ?? 0;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));

    const rule = faults.next(action);
    if (rule && !FAULTS_AFTER_ACCEPT.has(rule.kind)) return faultResponse(rule, request.signal);
    const response = await runGatewayAction(request, action);
    if (rule) return faultResponse(rule, request.signal);
    return response;
  }

  const sandbox: Sandbox = {
    async handle(request, action) {
      try {
        return await dispatch(request, action);
      } catch (error) {
        // A client that went away (a killed app process, a timeout) aborts its request's body: nobody
        // is left to answer, and it is no fault of the sandbox's, so one line instead of a stack.
        if (request.signal.aborted) {
          console.warn(`[sandbox] ${action}: the client went away before the answer`);
          return new Response(null, { status: 499 });
        }
        console.error("[sandbox] request failed", error);
        return new Response("Internal sandbox error", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
      }
    },
    setFaults(plan) {
      faults.set(plan);
    },
    ledger(opts) {
      const stamp = createTimestampFormatter();
      return store.ledger(opts?.includeDeleted ?? false).map((message) => toLedgerEntry(message, stamp));
    },
    stats() {
      const { sendMmsCalls, sendMmsTestCalls, requests } = store.counters();
      return { sendMmsCalls, sendMmsTestCalls, requests, sendMmsInFlight: sendMms.inFlight, maxConcurrentSendMms: sendMms.maxConcurrent };
    },
    reset() {
      store.reset();
      // Requests still being answered are still at once with whatever comes next.
      sendMms.maxConcurrent = sendMms.inFlight;
      faults.clear();
      pusher.reset();
      uploadEncodings = options.uploadEncodings ?? "both";
      fs.rmSync(filesDir, { recursive: true, force: true });
      fs.mkdirSync(filesDir, { recursive: true });
    },
    close() {
      if (closed) return;
      closed = true;
      pusher.close();
      for (const release of [...pendingHangs]) release();
      store.close();
    },
  };
  const admin = adminActions(sandbox, context, {
    setFaults: (plan) => faults.set(plan),
    setUploadEncodings: (accepted) => {
      uploadEncodings = accepted;
    },
    pusher,
  });
  return sandbox;
}
