/**
 * One log line, not a stack, for server-action requests that Next refuses before any of our code runs
 * (issue 11 item 9): a body over serverActions.bodySizeLimit (lib/http/server-action-limits.ts), or one
 * its decoder cannot read (a cut-off multipart body, arguments that are not JSON, too many array
 * slots). Next answers those with a 500 and logs the error with `console.error(" ⨯", error)` in
 * RouteModule.onRequestError (next/dist/server/route-modules/route-module.js), and only THEN calls
 * instrumentation's `onRequestError` with the same error object and the route's context. That hook
 * alone cannot stop the stack, so Next's log call is held briefly: if onRequestError says the error
 * came from a server-action request, one line replaces it; for anything else the original is written
 * unchanged. Only errors that carry Next's `digest` (errors of a request's render) are held, so our
 * own log lines and start-up errors pass at once.
 *
 * Why every error of an action request may become one line: our actions never let an error reach
 * Next (lib/server/guard.ts turns whatever a handler throws into a typed failure and logs it itself),
 * so what Next reports for an action request is a problem with the request it could not hand to us.
 * The line keeps the first line of the error's message (cleaned: the decoder may quote the body) and
 * the digest, which is all the browser gets too.
 */

type ErrorSink = { error: (...args: unknown[]) => void };

/** The parts of Next's onRequestError arguments used here (see next/dist/server/instrumentation/types.d.ts). */
type RequestInfo = { path: string; method: string; headers: Record<string, string | string[] | undefined> };
type ErrorContext = { routeType: "render" | "route" | "action" | "proxy" } & Record<string, unknown>;

type Digested = Error & { digest: string; statusCode?: number };

function isDigested(value: unknown): value is Digested {
  return value instanceof Error && typeof (value as { digest?: unknown }).digest === "string";
}

/** Printable, one line, bounded: no control characters (line breaks, terminal escapes) from a hostile body. */
function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function describeRefusal(error: Digested, request: RequestInfo): string {
  const header = request.headers["next-action"];
  const actionId = (Array.isArray(header) ? header[0] : header)?.replace(/[^0-9a-f]/gi, "").slice(0, 8);
  const where = `${clean(request.method, 10)} ${clean(request.path.split("?")[0] ?? "", 120)}${actionId ? `, action ${actionId}…` : ""}`;
  const firstLine = error.message.split(/\r?\n/)[0] ?? "";
  const reason =
    error.statusCode === 413
      ? `the body is larger than the server accepts (${clean(firstLine, 120)})`
      : `the body could not be read (${clean(`${error.name}: ${firstLine}`, 120)})`;
  return `⨯ server action request refused (${where}): ${reason} [digest ${clean(error.digest, 20)}]`;
}

export function createRequestErrorLog(target: ErrorSink, { holdMs = 1_000 }: { holdMs?: number } = {}) {
  const write = target.error.bind(target);
  const held = new Map<Digested, { args: unknown[]; timer: ReturnType<typeof setTimeout> }>();

  function take(error: Digested) {
    const entry = held.get(error);
    if (!entry) return null;
    held.delete(error);
    clearTimeout(entry.timer);
    return entry;
  }

  function release(error: Digested) {
    const entry = take(error);
    if (entry) write(...entry.args);
  }

  return {
    /** Stands in for console.error. */
    console: {
      error(...args: unknown[]) {
        const error = args.find(isDigested);
        if (!error) {
          write(...args);
          return;
        }
        // Written anyway if no onRequestError comes for it (an error logged outside a request).
        const timer = setTimeout(() => release(error), holdMs);
        (timer as { unref?: () => void }).unref?.();
        held.set(error, { args, timer });
      },
    },

    /** Next's instrumentation hook (instrumentation.ts exports it). */
    async onRequestError(error: unknown, request: RequestInfo, context: ErrorContext): Promise<void> {
      if (!isDigested(error)) return;
      if (context.routeType !== "action") {
        release(error);
        return;
      }
      if (take(error)) write(describeRefusal(error, request));
    },

    /** Writes whatever is still held (the process is exiting). */
    flush() {
      for (const error of [...held.keys()]) release(error);
    },
  };
}

type RequestErrorLog = ReturnType<typeof createRequestErrorLog>;
const holder = globalThis as typeof globalThis & { __mmsRequestErrorLog?: RequestErrorLog };

/** The process's instance, installed over console.error once (instrumentation.ts imports this module on the Node.js server). */
function installed(): RequestErrorLog | null {
  if (typeof process === "undefined" || process.env.NEXT_RUNTIME !== "nodejs") return null;
  if (!holder.__mmsRequestErrorLog) {
    const log = createRequestErrorLog(console);
    holder.__mmsRequestErrorLog = log;
    console.error = log.console.error;
    process.once("exit", () => log.flush());
  }
  return holder.__mmsRequestErrorLog;
}

installed();

/** instrumentation.ts re-exports this as Next's `onRequestError`. */
export async function onRequestError(error: unknown, request: RequestInfo, context: ErrorContext): Promise<void> {
  await installed()?.onRequestError(error, request, context);
}
