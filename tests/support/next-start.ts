import { type ChildProcess, spawn, type StdioOptions } from "node:child_process";

/**
 * `next start` of the built app (run from the project root), in its own process group so the whole
 * server can be stopped or killed at once. Shared by the e2e crash test and the benchmark.
 */
export function spawnNextStart(opts: { port: number; env: Record<string, string>; stdio: StdioOptions; nodeArgs?: string[] }): ChildProcess {
  return spawn(process.execPath, [...(opts.nodeArgs ?? []), "node_modules/next/dist/bin/next", "start", "-p", String(opts.port), "-H", "127.0.0.1"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...opts.env },
    stdio: opts.stdio,
    detached: true,
  });
}

/** Resolves once the sign-in page answers; rejects when the server exits first or `timeoutMs` passes. */
export async function waitUntilServing(child: ChildProcess, baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}) before serving ${baseUrl}`);
    try {
      if ((await fetch(`${baseUrl}/signin`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app did not start on ${baseUrl} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
