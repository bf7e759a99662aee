/**
 * The entry of a forwarded header (X-Forwarded-For, X-Forwarded-Proto) written by the outermost of
 * `trustProxyHops` trusted reverse proxies: each appends what it saw, so the last N entries are theirs
 * and the Nth from the right is what the outermost one received. Entries further left are the client's
 * own word. Null when there is no trusted proxy, or the header is shorter than N (a request that
 * bypassed a proxy): the caller falls back to what the connection itself says.
 * The one rule behind lib/server/client-address.ts (the client's address) and lib/http/transport.ts (https).
 */
export function trustedForwardedEntry(header: string | null, trustProxyHops: number): string | null {
  if (trustProxyHops <= 0) return null;
  const entries = (header ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length < trustProxyHops ? null : entries[entries.length - trustProxyHops]!;
}
