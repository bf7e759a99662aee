import http from "node:http";
import type { AddressInfo } from "node:net";
import { isDroppedConnection } from "@/lib/sandbox/drop";
import { createSandbox } from "@/lib/sandbox/sandbox";
import type { Sandbox, SandboxOptions } from "@/lib/sandbox/types";

export type SandboxServer = {
  /** e.g. http://127.0.0.1:41234/ (with the trailing slash; append the action). */
  baseUrl: string;
  sandbox: Sandbox;
  close(): Promise<void>;
};

function toWebRequest(incoming: http.IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method,
    headers,
    signal,
    // The IncomingMessage itself, as Next passes it to route handlers (next/dist/server/web/spec-extension/
    // adapters/next-request.js): undici pulls it through its async iterator only as the sandbox reads,
    // so a body refused unread stays in the socket instead of piling up in memory here.
    body: hasBody ? (incoming as unknown as BodyInit) : undefined,
    duplex: hasBody ? "half" : undefined,
  };
  return new Request(new URL(incoming.url ?? "/", origin), init);
}

/**
 * Serves a sandbox over real HTTP on its own port (integration tests, benchmarks). The action is the
 * request path, so `${baseUrl}messages/send_mms.json` works like the real gateway's URL.
 */
export async function startSandboxServer(options: SandboxOptions & { host?: string; port?: number }): Promise<SandboxServer> {
  const { host = "127.0.0.1", port = 0, ...sandboxOptions } = options;
  const sandbox = createSandbox(sandboxOptions);

  const server = http.createServer((incoming, outgoing) => {
    const aborter = new AbortController();
    // A client that gives up (its timeout) closes the socket; hung fault handlers wait for exactly this.
    outgoing.on("close", () => {
      if (!outgoing.writableFinished) aborter.abort();
    });
    const origin = `http://${incoming.headers.host ?? `${host}:${port}`}`;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(incoming.url ?? "/", "http://sandbox.invalid").pathname);
    } catch {
      pathname = "/";
    }
    void (async () => {
      const response = await sandbox.handle(toWebRequest(incoming, origin, aborter.signal), pathname.replace(/^\/+/, ""));
      if (isDroppedConnection(response)) {
        incoming.socket.destroy();
        return;
      }
      const body = Buffer.from(await response.arrayBuffer());
      if (outgoing.destroyed) return;
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      headers["content-length"] = String(body.byteLength);
      outgoing.writeHead(response.status, headers);
      outgoing.end(body);
    })().catch((error: unknown) => {
      console.error("[sandbox server] failed to answer", error);
      if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end("Internal sandbox error");
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${hostForUrl}:${address.port}/`,
    sandbox,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      sandbox.close();
    },
  };
}
