/**
 * The processes a benchmark run starts (sandbox gateway, `next start`), their memory as the kernel
 * reports it, and cleanup: every process started here is killed by its own id on exit, also after a
 * failure or Ctrl-C. Nothing else is ever killed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { spawnNextStart, waitUntilServing } from "@/tests/support/next-start";

const cleanups: (() => void)[] = [];
let cleaned = false;

/** Runs every registered cleanup once (synchronous: also safe from an `exit` handler). */
export function cleanupAll(): void {
  if (cleaned) return;
  cleaned = true;
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch {
      // already gone
    }
  }
}

export function onCleanup(cleanup: () => void): void {
  cleanups.push(cleanup);
}

export function installCleanupHandlers(): void {
  process.on("exit", cleanupAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      console.error(`\n[bench] ${signal}: stopping the processes this run started`);
      cleanupAll();
      process.exit(130);
    });
  }
}

/** Kills a detached child's whole process group (it was started as a group leader). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // gone
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sandbox gateway (bench/sandbox-server.ts) in its own process, talked to over IPC
// ---------------------------------------------------------------------------------------------

export type SandboxProcess = {
  baseUrl: string;
  pid: number;
  token: string;
  call<T>(request: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
};

export async function startSandboxProcess(opts: { dataDir: string; port: number; token: string; latencyMs: number; logFile: string; ledgerOnDisk?: boolean }): Promise<SandboxProcess> {
  const log = fs.openSync(opts.logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", "bench/sandbox-server.ts"], {
    env: { ...process.env, BENCH_SANDBOX: JSON.stringify(opts) },
    stdio: ["ignore", log, log, "ipc"],
    detached: true,
  });
  onCleanup(() => killGroup(child));
  let nextId = 1;
  const waiting = new Map<number, (result: { ok: boolean; value?: unknown; error?: string }) => void>();
  const ready = new Promise<{ baseUrl: string; pid: number }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the sandbox process exited (${code}); see ${opts.logFile}`)));
    child.on("message", (message: { type?: string; id?: number; baseUrl?: string; pid?: number; result?: never }) => {
      if (message.type === "ready") resolve({ baseUrl: message.baseUrl!, pid: message.pid! });
      else if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
    });
  });
  const { baseUrl, pid } = await withTimeout(ready, 30_000, "the sandbox did not start");
  return {
    baseUrl,
    pid,
    token: opts.token,
    call<T>(request: Record<string, unknown>) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, (result) => {
          waiting.delete(id);
          if (result.ok) resolve(result.value as T);
          else reject(new Error(result.error));
        });
        child.send({ id, request });
      });
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (child.connected) child.send({ id: 0, request: { type: "close" } });
      await withTimeout(exited, 5_000, "").catch(() => killGroup(child));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The app: `next start` of the built app, in its own process group
// ---------------------------------------------------------------------------------------------

export type AppProcess = {
  baseUrl: string;
  /** The process that serves requests (next-server), whose memory is measured. */
  serverPid: number;
  launcherPid: number;
  stop(): Promise<void>;
};

/**
 * The Node options `npm start` gives the server (scripts/start.sh exports NODE_OPTIONS), so the
 * benchmark measures the server as it is really started.
 */
export function serverNodeOptions(root: string): string {
  const script = fs.readFileSync(path.join(root, "scripts", "start.sh"), "utf8");
  return /^export NODE_OPTIONS="([^"$]*)/m.exec(script)?.[1]?.trim() ?? "";
}

export async function startApp(opts: { port: number; env: Record<string, string>; logFile: string; nodeArgs?: string[] }): Promise<AppProcess> {
  const log = fs.openSync(opts.logFile, "a");
  // BENCH_APP_NODE_ARGS: Node flags for the server, for experiments only (e.g. --trace-gc).
  const nodeArgs = [...(opts.nodeArgs ?? []), ...(process.env.BENCH_APP_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [])];
  const child = spawnNextStart({ port: opts.port, env: { NODE_ENV: "production", ...opts.env }, stdio: ["ignore", log, log], nodeArgs });
  onCleanup(() => killGroup(child));
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  try {
    await waitUntilServing(child, baseUrl, 90_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}; see ${opts.logFile}`);
  }
  return {
    baseUrl,
    serverPid: findServerPid(child.pid!),
    launcherPid: child.pid!,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      killGroup(child, "SIGTERM");
      await withTimeout(exited, 5_000, "").catch(() => killGroup(child));
    },
  };
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const task of safeReaddir(`/proc/${pid}/task`)) {
    const text = safeRead(`/proc/${pid}/task/${task}/children`);
    if (text) found.push(...text.trim().split(/\s+/).filter(Boolean).map(Number));
  }
  return found;
}

function descendantsOf(pid: number): number[] {
  const all: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift()!;
    for (const child of childrenOf(next)) {
      all.push(child);
      queue.push(child);
    }
  }
  return all;
}

/**
 * `next start` may serve from the launched process or fork a child; the server process names itself
 * "next-server". Otherwise the launched process (or its largest descendant) serves.
 */
export function findServerPid(launcherPid: number): number {
  const candidates = [launcherPid, ...descendantsOf(launcherPid)];
  const named = candidates.filter((pid) => /next-server/.test(safeRead(`/proc/${pid}/cmdline`).replace(/\0/g, " ")));
  if (named.length > 0) return named[named.length - 1]!;
  return candidates.map((pid) => ({ pid, rss: memoryOf(pid)?.rssBytes ?? 0 })).sort((a, b) => b.rss - a.rss)[0]!.pid;
}

export function describeProcess(pid: number): string {
  return safeRead(`/proc/${pid}/cmdline`).replace(/\0/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// Memory from /proc/<pid>/status
// ---------------------------------------------------------------------------------------------

export type Memory = { rssBytes: number; peakBytes: number };

export function memoryOf(pid: number): Memory | null {
  const status = safeRead(`/proc/${pid}/status`);
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  if (!status) return null;
  return { rssBytes: field("VmRSS"), peakBytes: field("VmHWM") };
}

/** Resets VmHWM to the current RSS (`echo 5 > clear_refs`). False when the kernel refuses (not root). */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * Watches a process's memory during a measurement: the kernel's peak (VmHWM, after a reset) and, as a
 * cross-check that needs no privileges, the highest RSS seen by sampling every `everyMs`.
 */
export function watchMemory(pid: number, everyMs = 50) {
  const reset = resetPeak(pid);
  const baseline = memoryOf(pid)!;
  let sampledPeak = baseline.rssBytes;
  const samples: { at: number; rss: number }[] = [{ at: Date.now(), rss: baseline.rssBytes }];
  const timer = setInterval(() => {
    const now = memoryOf(pid);
    if (!now) return;
    sampledPeak = Math.max(sampledPeak, now.rssBytes);
    samples.push({ at: Date.now(), rss: now.rssBytes });
  }, everyMs);
  return {
    baselineRss: baseline.rssBytes,
    /** Whether VmHWM was reset, i.e. `peak` is the peak of this measurement only. */
    kernelPeak: reset,
    /** The highest sampled RSS between two moments (Date.now() values). */
    peakBetween(from: number, to: number): number {
      return samples.filter((sample) => sample.at >= from && sample.at <= to).reduce((max, sample) => Math.max(max, sample.rss), 0);
    },
    stop(): { baselineRss: number; peak: number; sampledPeak: number; kernelPeak: boolean; endRss: number } {
      clearInterval(timer);
      const end = memoryOf(pid)!;
      sampledPeak = Math.max(sampledPeak, end.rssBytes);
      return { baselineRss: baseline.rssBytes, peak: reset ? end.peakBytes : sampledPeak, sampledPeak, kernelPeak: reset, endRss: end.rssBytes };
    },
  };
}

// ---------------------------------------------------------------------------------------------

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The newest modification time among the app's sources (what a build depends on), skipping tests. */
export function newestSourceMtime(root: string): { mtimeMs: number; file: string } {
  let newest = { mtimeMs: 0, file: "" };
  const consider = (file: string) => {
    const { mtimeMs } = fs.statSync(file);
    if (mtimeMs > newest.mtimeMs) newest = { mtimeMs, file: path.relative(root, file) };
  };
  const walk = (dir: string) => {
    for (const entry of safeReaddir(dir)) {
      const full = path.join(dir, entry);
      const stat = fs.statSync(full);
      if (stat.isDirectory()) {
        if (entry !== "node_modules") walk(full);
      } else if (!/\.test\.tsx?$/.test(entry)) consider(full);
    }
  };
  for (const dir of ["app", "components", "lib"]) walk(path.join(root, dir));
  for (const file of ["next.config.ts", "proxy.ts", "instrumentation.ts", "package.json", "package-lock.json", "tsconfig.json", "postcss.config.mjs", "tailwind.config.ts"]) {
    if (fs.existsSync(path.join(root, file))) consider(path.join(root, file));
  }
  return newest;
}

// ---------------------------------------------------------------------------------------------
// Time the servers' main threads slept in clock_nanosleep (perf trace), i.e. SQLite's busy handler
// ---------------------------------------------------------------------------------------------

export type SleepTrace = { calls: number; totalMs: number; maxMs: number };

/**
 * Counts clock_nanosleep on the given processes until stop(), with `perf trace` (needs perf and the
 * rights to trace them). A Node server's main thread never sleeps that way on its own (libuv waits in
 * epoll): what it shows is better-sqlite3's busy handler, which sleeps the whole event loop while
 * another connection holds the database's write lock (busy_timeout). Null when perf is missing or
 * refuses; the bench goes on without it.
 */
export function traceSleeps(pids: readonly number[], outFile: string): { stop(): Promise<Map<number, SleepTrace> | null> } | null {
  const perf = ["/usr/bin/perf", "/usr/local/bin/perf"].find((file) => fs.existsSync(file));
  if (!perf || pids.length === 0) return null;
  const child = spawn(perf, ["trace", "-s", "-e", "clock_nanosleep", "-o", outFile, "-p", pids.join(",")], { stdio: "ignore", detached: true });
  onCleanup(() => killGroup(child));
  return {
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (child.exitCode === null) {
        try {
          process.kill(child.pid!, "SIGINT");
        } catch {
          // gone
        }
      }
      await withTimeout(exited, 10_000, "").catch(() => killGroup(child));
      const text = safeRead(outFile);
      if (!text) return null;
      // Per thread: " name (tid), N events, …" then a table with a clock_nanosleep row (ms columns).
      const found = new Map<number, SleepTrace>();
      let tid: number | null = null;
      for (const line of text.split("\n")) {
        const head = /\((\d+)\), \d+ events/.exec(line);
        if (head) tid = Number(head[1]);
        const row = /^\s*clock_nanosleep\s+(\d+)\s+\d+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)/.exec(line);
        if (row && tid !== null) found.set(tid, { calls: Number(row[1]), totalMs: Number(row[2]), maxMs: Number(row[3]) });
      }
      return found;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CPU time and run-queue wait of a process's main thread (/proc/<pid>/schedstat)
// ---------------------------------------------------------------------------------------------

export type Sched = { cpuMs: number; waitMs: number; slices: number };

/**
 * The main thread's time on a CPU and time spent runnable but waiting for one (the kernel's
 * schedstat, in ns). For a Node server the main thread is the event loop: its wait is what other
 * processes on shared cores cost it.
 */
export function schedOf(pid: number): Sched | null {
  const fields = safeRead(`/proc/${pid}/schedstat`).trim().split(/\s+/).map(Number);
  if (fields.length < 3 || fields.some((n) => !Number.isFinite(n))) return null;
  return { cpuMs: fields[0]! / 1e6, waitMs: fields[1]! / 1e6, slices: fields[2]! };
}

export function schedBetween(before: Sched | null, after: Sched | null): Sched | null {
  if (!before || !after) return null;
  return { cpuMs: after.cpuMs - before.cpuMs, waitMs: after.waitMs - before.waitMs, slices: after.slices - before.slices };
}
