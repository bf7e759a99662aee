import { parseConfig } from "./env";

/** Where `npm start` listens in sandbox mode: the demo accounts and sandbox credentials are public. */
export const SANDBOX_LISTEN_HOST = "127.0.0.1";

/**
 * The address `npm start` (scripts/start.sh → scripts/listen-host.ts) passes to `next start -H`, or
 * null for Next's default (all interfaces). HOST always wins. In sandbox mode it is 127.0.0.1 — not
 * "localhost", which may resolve to ::1 alone while the app calls its embedded gateway at 127.0.0.1
 * (lib/config/env.ts, gateway.baseUrl).
 */
export function listenHost(env: Record<string, string | undefined>): string | null {
  const host = env.HOST?.trim();
  if (host) return host;
  let mode: "sandbox" | "live";
  try {
    mode = parseConfig(env).gateway.mode;
  } catch {
    // The server will stop with the one-line reason at start-up; until then, listen no wider than needed.
    return SANDBOX_LISTEN_HOST;
  }
  return mode === "sandbox" ? SANDBOX_LISTEN_HOST : null;
}
