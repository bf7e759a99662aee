/**
 * The benchmark's gateway: the sandbox served over HTTP in a process of its own, so its CPU work does
 * not count against the app and it behaves like a remote service. Started by bench/run.ts with an IPC
 * channel: it reports `{type:"ready", baseUrl}` and answers control messages (timings, ledger check).
 * Options come as JSON in BENCH_SANDBOX. It exits when the parent goes away.
 */
import { createHash } from "node:crypto";
import { startSandboxServer } from "@/lib/sandbox/server";

type Options = { dataDir: string; port: number; token: string; latencyMs: number; ledgerOnDisk?: boolean };
type Request =
  | { type: "timings"; reset?: boolean }
  | { type: "ledger"; title: string }
  | { type: "stats" }
  | { type: "sends"; reset?: boolean }
  | { type: "close" };

const options = JSON.parse(process.env.BENCH_SANDBOX ?? "{}") as Options;

const server = await startSandboxServer({
  dataDir: `${options.dataDir}/files`,
  // The ledger lives in memory: the gateway double stands for a remote service, whose own storage
  // is not what this benchmark measures (on disk, its SQLite commits added ~5 ms to every request).
  dbPath: options.ledgerOnDisk ? `${options.dataDir}/gateway.db` : ":memory:",
  token: options.token,
  username: "bench",
  password: "bench-password",
  adminEnabled: true,
  latencyMs: options.latencyMs,
  host: "127.0.0.1",
  port: options.port,
});

/**
 * Time spent answering each gateway action, measured around the sandbox's own handler (injected
 * latency included): tells the gateway's share of a request apart from the app's.
 */
type Timing = { count: number; totalMs: number; maxMs: number };
let timings = new Map<string, Timing>();

/**
 * Every send_mms as the gateway saw it: when it arrived and was answered (wall clock with sub-ms
 * precision, comparable with the app's Date.now() on the same machine) and its first number (which
 * says which batch it was). And how many were in flight at once: the account-wide cap the app
 * promises (GATEWAY_MAX_CONCURRENT_SENDS) checked where it matters, at the gateway, whatever the
 * app's own bookkeeping says.
 */
type SendTrace = { arrivedAt: number; answeredAt: number; phones: number; firstPhone: string | null };
let sends: SendTrace[] = [];
let sendsInFlight = 0;
let maxSendsInFlight = 0;
const wallNow = () => performance.timeOrigin + performance.now();

const handle = server.sandbox.handle.bind(server.sandbox);
server.sandbox.handle = async (request, action) => {
  const started = performance.now();
  const key = action.replace(/\.json$/i, "");
  const isSend = key === "messages/send_mms";
  const arrivedAt = wallNow();
  if (isSend) {
    sendsInFlight++;
    maxSendsInFlight = Math.max(maxSendsInFlight, sendsInFlight);
  }
  let response: Response | undefined;
  try {
    response = await handle(request, action);
    return response;
  } finally {
    const ms = performance.now() - started;
    if (isSend) {
      sendsInFlight--;
      const trace: SendTrace = { arrivedAt, answeredAt: wallNow(), phones: 0, firstPhone: null };
      sends.push(trace);
      // Read from a copy after answering, so it costs the request nothing.
      void response
        ?.clone()
        .json()
        .then((body: { items?: { phone?: string }[] }) => {
          trace.phones = body.items?.length ?? 0;
          trace.firstPhone = body.items?.[0]?.phone ?? null;
        })
        .catch(() => undefined);
    }
    const timing = timings.get(key) ?? { count: 0, totalMs: 0, maxMs: 0 };
    timing.count++;
    timing.totalMs += ms;
    timing.maxMs = Math.max(timing.maxMs, ms);
    timings.set(key, timing);
  }
};

function answer(request: Request): unknown {
  switch (request.type) {
    case "timings": {
      const now = Object.fromEntries(timings);
      if (request.reset) timings = new Map();
      return now;
    }
    case "sends": {
      const now = { maxInFlight: maxSendsInFlight, inFlight: sendsInFlight, calls: sends };
      if (request.reset) {
        sends = [];
        maxSendsInFlight = sendsInFlight;
      }
      return now;
    }
    case "stats":
      return server.sandbox.stats();
    case "ledger": {
      // Checked here, so 100 000 entries never have to travel as JSON.
      const entries = server.sandbox.ledger().filter((entry) => entry.title === request.title);
      const phones = entries.map((entry) => entry.phone).sort();
      const ids = new Set(entries.map((entry) => entry.id));
      return {
        entries: entries.length,
        uniquePhones: new Set(phones).size,
        uniqueIds: ids.size,
        sendCalls: new Set(entries.map((entry) => entry.sendCall)).size,
        phonesSha256: createHash("sha256").update(phones.join("\n")).digest("hex"),
      };
    }
    case "close":
      return null;
  }
}

process.on("message", (message: { id: number; request: Request }) => {
  let result: unknown;
  try {
    result = { ok: true, value: answer(message.request) };
  } catch (error) {
    result = { ok: false, error: String(error) };
  }
  process.send?.({ id: message.id, result });
  if (message.request.type === "close") void server.close().finally(() => process.exit(0));
});

// The parent died or closed the channel: never outlive it.
process.on("disconnect", () => {
  void server.close().finally(() => process.exit(0));
});

process.send?.({ type: "ready", baseUrl: server.baseUrl, pid: process.pid });
