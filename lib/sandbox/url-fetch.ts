import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { GatewayApiError } from "@/lib/sandbox/errors";

/*
 * `files/add` with a `url` makes the sandbox fetch an address chosen by whoever calls it. Without care
 * that is a server-side request forgery hole: the caller could read loopback admin ports, cloud metadata
 * (169.254.169.254) or the LAN. So every hop is vetted (scheme, every resolved address) and the socket is
 * pinned to the vetted address, so a second DNS answer cannot swap in an internal one (DNS rebinding).
 */

export type RemoteFetchOptions = {
  /** Hostnames or IPs that may be reached even though they are loopback/private (tests only). */
  allowlist: readonly string[];
  maxBytes: number;
  timeoutMs?: number;
  maxRedirects?: number;
};

export type RemoteFile = { bytes: Uint8Array; contentType: string | null; finalUrl: string };

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type VettedAddress = { address: string; family: 4 | 6 };

function refuse(message: string): GatewayApiError {
  return new GatewayApiError(1006, message);
}

function canonicalHost(host: string): string {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}

/**
 * Only ordinary public unicast addresses. IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d)
 * IPv6 forms are unwrapped or refused, since they reach IPv4 hosts; NAT64, 6to4 and Teredo prefixes are
 * not "unicast" in ipaddr.js and are refused because they can also tunnel to internal IPv4 hosts.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return ip.range() === "unicast";
}

/** Every address the host resolves to, each checked; the connection may only use these. */
async function vetDestination(url: URL, allowlist: ReadonlySet<string>): Promise<VettedAddress[]> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw refuse(`Only http and https URLs can be imported (got ${url.protocol.replace(/:$/, "")})`);
  }
  if (url.username || url.password) throw refuse("URLs with credentials in them are not accepted");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: VettedAddress[];
  const literalFamily = net.isIP(host);
  if (literalFamily === 4 || literalFamily === 6) {
    addresses = [{ address: host, family: literalFamily }];
  } else {
    try {
      const found = await dnsLookup(host, { all: true, verbatim: true });
      addresses = found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
    } catch {
      throw refuse(`Could not resolve host ${host}`);
    }
  }
  if (addresses.length === 0) throw refuse(`Could not resolve host ${host}`);
  const hostAllowed = allowlist.has(canonicalHost(host));
  for (const { address } of addresses) {
    // Any internal address among the answers is refused, rather than picking a public one, to keep the rule simple.
    if (!hostAllowed && !allowlist.has(canonicalHost(address)) && !isPublicAddress(address)) {
      throw refuse(`URL refused: ${host} is not a public address (${address})`);
    }
  }
  return addresses;
}

type HopResult = { kind: "redirect"; location: string } | { kind: "body"; bytes: Uint8Array; contentType: string | null };

function fetchOneHop(url: URL, vetted: VettedAddress[], maxBytes: number, signal: AbortSignal): Promise<HopResult> {
  const transport = url.protocol === "https:" ? https : http;
  // Node calls this instead of the resolver for hostname targets; the answer is only what was just vetted.
  // With `all` (Node's happy-eyeballs connect) every vetted address is offered, so dual-stack hosts work.
  const pinnedLookup = (
    _hostname: string,
    options: unknown,
    callback?: (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void,
  ) => {
    const done = typeof options === "function" ? (options as typeof callback) : callback;
    const wantsAll = typeof options === "object" && options !== null && (options as { all?: boolean }).all === true;
    const [first] = vetted;
    if (!done || !first) return;
    if (wantsAll) done(null, vetted.map(({ address, family }) => ({ address, family })));
    else done(null, first.address, first.family);
  };

  return new Promise<HopResult>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: "GET",
        agent: false,
        signal,
        lookup: pinnedLookup as unknown as net.LookupFunction,
        headers: { "user-agent": "SerwerSMS-sandbox/1.0", accept: "*/*", "accept-encoding": "identity" },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status)) {
          response.resume();
          const location = response.headers.location;
          if (!location) return reject(refuse(`Could not download the file: HTTP ${status} without a Location`));
          return resolve({ kind: "redirect", location });
        }
        if (status < 200 || status > 299) {
          response.resume();
          return reject(refuse(`Could not download the file: HTTP ${status}`));
        }
        const declared = Number(response.headers["content-length"]);
        if (Number.isFinite(declared) && declared > maxBytes) {
          request.destroy();
          return reject(fileTooLarge(maxBytes));
        }
        const chunks: Buffer[] = [];
        let total = 0;
        response.on("data", (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total > maxBytes) {
            // Stop reading as soon as the limit is passed: a hostile server could stream forever.
            request.destroy();
            reject(fileTooLarge(maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          const contentType = response.headers["content-type"] ?? null;
          resolve({ kind: "body", bytes: new Uint8Array(Buffer.concat(chunks)), contentType });
        });
        response.on("error", (error) => reject(networkFailure(error, signal)));
        response.on("close", () => {
          if (!response.complete) reject(networkFailure(new Error("connection closed mid-body"), signal));
        });
      },
    );
    request.on("error", (error) => reject(networkFailure(error, signal)));
    request.end();
  });
}

export function fileTooLarge(maxBytes: number): GatewayApiError {
  return new GatewayApiError(1006, `File exceeds ${formatMegabytes(maxBytes)}`);
}

export function formatMegabytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

function networkFailure(error: unknown, signal: AbortSignal): GatewayApiError {
  if (error instanceof GatewayApiError) return error;
  if (signal.aborted) return refuse("Could not download the file: timed out");
  const code = (error as { code?: unknown }).code;
  return refuse(`Could not download the file${typeof code === "string" ? ` (${code})` : ""}`);
}

/**
 * Downloads `rawUrl` the way the gateway does for `files/add` (reference §3.1: the server fetches and
 * checks the file), refusing with 1006 anything that is not a plain public http(s) fetch.
 */
export async function fetchRemoteFile(rawUrl: string, options: RemoteFetchOptions): Promise<RemoteFile> {
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    throw refuse("url is not a valid URL");
  }
  const allowlist = new Set(options.allowlist.map(canonicalHost));
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);

  for (let redirects = 0; ; redirects++) {
    const vetted = await vetDestination(url, allowlist);
    if (signal.aborted) throw refuse("Could not download the file: timed out");
    const hop = await fetchOneHop(url, vetted, options.maxBytes, signal);
    if (hop.kind === "body") return { bytes: hop.bytes, contentType: hop.contentType, finalUrl: url.toString() };
    if (redirects >= maxRedirects) throw refuse(`Could not download the file: more than ${maxRedirects} redirects`);
    try {
      url = new URL(hop.location, url);
    } catch {
      throw refuse("Could not download the file: invalid redirect");
    }
  }
}

/** The last path segment of a URL, decoded; "" when the path ends in a slash. */
export function urlBasename(rawUrl: string): string {
  try {
    const segment = new URL(rawUrl).pathname.split("/").pop() ?? "";
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  } catch {
    return "";
  }
}
