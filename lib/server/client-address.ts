import http from "node:http";
import ipaddr from "ipaddr.js";
import { trustedForwardedEntry } from "@/lib/http/forwarded";

/**
 * The address the TCP connection really came from, put on every request by
 * installPeerAddressHeader(). Needed because Next.js only does
 * `req.headers['x-forwarded-for'] ??= socket.remoteAddress` (node_modules/next/dist/server/base-server.js,
 * "Update the `x-forwarded-*` headers"): a client-sent X-Forwarded-For survives and the socket address
 * is lost, and server actions only see headers().
 */
export const PEER_ADDRESS_HEADER = "x-mms-peer-address";

/** What every request without a recorded peer shares (only requests that arrive during start-up). */
export const UNKNOWN_ADDRESS = "unknown";

const installed = Symbol.for("mms.peerAddressHeader");

/**
 * Patches http.Server so each incoming request carries PEER_ADDRESS_HEADER = its socket's address,
 * after deleting any copy the client sent. Runs in the `next start` process at boot
 * (instrumentation.ts); emit is looked up per event, so the server Next created earlier is covered.
 */
export function installPeerAddressHeader(): void {
  const proto = http.Server.prototype as http.Server & { [installed]?: true };
  if (proto[installed]) return;
  const emit = proto.emit;
  proto.emit = function emitWithPeerAddress(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      delete request.headers[PEER_ADDRESS_HEADER];
      const peer = request.socket?.remoteAddress;
      if (peer) request.headers[PEER_ADDRESS_HEADER] = peer;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof proto.emit;
  proto[installed] = true;
}

/**
 * One key per client for limits: IPv4 as is (IPv4-mapped IPv6 turned into IPv4), IPv6 grouped by
 * its /64, because one subscriber usually holds a whole /64 and could otherwise rotate through
 * 2^64 addresses (RFC 6177, https://www.rfc-editor.org/rfc/rfc6177). Accepts "1.2.3.4:port" and
 * "[v6]:port", which some proxies write. Null for anything that is not an address.
 */
export function normaliseAddress(raw: string): string | null {
  let value = raw.trim();
  if (value.length === 0 || value.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  // Four-part decimal only: ipaddr.isValid also takes "127.1" or hex forms, which nobody writes in a header.
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value).toString();
  if (!ipaddr.IPv6.isValid(value)) return null;
  const v6 = ipaddr.IPv6.parse(value);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${new ipaddr.IPv6([...v6.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}

/**
 * The client's address for throttling and the audit log. With `trustProxyHops` = 0 (TRUST_PROXY_HOPS,
 * the default) it is the socket's, and every forwarded header a client sends is ignored. With N
 * trusted proxies in front, each appends the address it received the request from to
 * X-Forwarded-For, so the last N entries were written by them and the Nth from the right is the
 * address the outermost proxy saw: the client. Entries further left are the client's own word.
 * A header shorter than N entries (a request that bypassed a proxy), or an entry that is not an
 * address, falls back to the socket.
 */
export function clientAddress(headers: Pick<Headers, "get">, trustProxyHops: number): string {
  const peer = normaliseAddress(headers.get(PEER_ADDRESS_HEADER) ?? "") ?? UNKNOWN_ADDRESS;
  const forwarded = trustedForwardedEntry(headers.get("x-forwarded-for"), trustProxyHops);
  return (forwarded === null ? null : normaliseAddress(forwarded)) ?? peer;
}
