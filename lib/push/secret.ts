import { createHash, timingSafeEqual } from "node:crypto";

/** Where the push route is mounted (app/api/push/[secret]/route.ts); the secret is the last segment. */
export const PUSH_ROUTE_PREFIX = "/api/push/";

/**
 * Constant-time comparison of the path segment with SERWERSMS_PUSH_SECRET. Both sides are hashed
 * first so that the comparison does not leak the secret's length either. No secret → never matches.
 */
export function pushSecretMatches(candidate: string, secret: string | null): boolean {
  if (!secret) return false;
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(candidate), digest(secret));
}

/** The full URL to paste into the SerwerSMS panel: the dashboard's public address + the push route. */
export function pushUrl(origin: string, secret: string): string {
  return new URL(`${PUSH_ROUTE_PREFIX}${encodeURIComponent(secret)}`, origin).toString();
}
