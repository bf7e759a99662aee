import type { HttpConfig } from "@/lib/config/env";
import { trustedForwardedEntry } from "./forwarded";

/**
 * Strict-Transport-Security for every response served over https (issue 11 item 6): a year, this host
 * and its subdomains. Not `preload`: that is a one-way decision for the domain's owner, not for the app.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Strict-Transport-Security
 */
export const HSTS_HEADER = "strict-transport-security";
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

/**
 * Whether this request reached us over https: the configured PUBLIC_URL says so, or a trusted reverse
 * proxy (TRUST_PROXY_HOPS > 0) says so in X-Forwarded-Proto. With no trusted proxy the header is
 * ignored, since any client can send it. Proxies that append give a list ("https, http"); the entry
 * the outermost trusted proxy wrote is the TRUST_PROXY_HOPS-th from the right, and anything left of it
 * came from the client (the same counting as for X-Forwarded-For).
 * This is the one rule for Secure cookies (lib/auth/current.ts) and HSTS (proxy.ts, lib/server/guard.ts).
 */
export function servedOverHttps(http: HttpConfig, headers: Pick<Headers, "get">): boolean {
  if (http.publicUrl?.toLowerCase().startsWith("https:")) return true;
  if (http.trustProxyHops === 0) return false;
  const proto = headers.get("x-forwarded-proto");
  // A single value is the common case (proxies usually set it rather than append to it).
  return (trustedForwardedEntry(proto, http.trustProxyHops) ?? trustedForwardedEntry(proto, 1))?.toLowerCase() === "https";
}

/** Adds HSTS to a response when the request was served over https. */
export function withTransportSecurity<R extends { headers: Headers }>(response: R, http: HttpConfig, requestHeaders: Pick<Headers, "get">): R {
  if (servedOverHttps(http, requestHeaders)) response.headers.set(HSTS_HEADER, HSTS_VALUE);
  return response;
}
