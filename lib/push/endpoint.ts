import "server-only";
import { randomBytes } from "node:crypto";
import { getConfig } from "@/lib/config/env";
import { pushUrl } from "./secret";

/** A Host header we would put in a URL: a name or address and an optional port, nothing else. */
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * The full push URL for the SerwerSMS panel: PUBLIC_URL when set (config.http.publicUrl), else the
 * origin this request reached us at (forwarded headers only behind trusted proxies). Null while
 * SERWERSMS_PUSH_SECRET is unset. Shown to admins only: the panel needs the secret in it.
 */
export function configuredPushUrl(requestHeaders: Headers): string | null {
  const { push, http, port } = getConfig();
  if (!push.secret) return null;
  if (http.publicUrl) return pushUrl(http.publicUrl, push.secret);
  const forwarded = (name: string) => (http.trustProxyHops > 0 ? requestHeaders.get(name)?.split(",")[0]?.trim() : undefined);
  const host = [forwarded("x-forwarded-host"), requestHeaders.get("host")].find((value) => value && HOST.test(value)) ?? `127.0.0.1:${port}`;
  const proto = forwarded("x-forwarded-proto") === "https" ? "https" : "http";
  return pushUrl(`${proto}://${host}`, push.secret);
}

export type PushSelfTest = { status: number; answer: string; ms: number };

/**
 * Calls the push URL the way the panel would, with a delivery report for an id we never sent (so it
 * changes nothing and is ignored). Never follows redirects; times out after 10 s.
 */
export async function selfTestPush(url: string): Promise<PushSelfTest> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    body: new URLSearchParams({ smsid: `push-test-${randomBytes(5).toString("hex")}`, stan: "delivered" }),
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await response.text()).slice(0, 200).trim();
  return { status: response.status, answer, ms: Math.round(performance.now() - started) };
}
