import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A tiny SerwerSMS-shaped HTTP server whose answers a test sets action by action, for answers the
 * sandbox (lib/sandbox) never gives: odd items, new statuses, codes it does not know. It speaks
 * only the transport of the real API (POST, optional `.json` suffix, HTTP 200 + JSON, the error
 * envelope for an action nobody configured) and ignores credentials.
 */
export type FakeAnswer = Record<string, unknown> | ((body: Record<string, unknown>) => unknown);

export type FakeGateway = {
  baseUrl: string;
  /** Every request in order: the action (no suffix) and its JSON body (`{}` for other bodies). */
  calls: { action: string; body: Record<string, unknown> }[];
  answer(action: string, answer: FakeAnswer): void;
  close(): Promise<void>;
};

export async function startFakeGateway(answers: Record<string, FakeAnswer> = {}): Promise<FakeGateway> {
  const table = new Map(Object.entries(answers));
  const calls: FakeGateway["calls"] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const action = (request.url ?? "/").replace(/^\/+/, "").replace(/\?.*$/, "").replace(/\.json$/, "");
      let body: Record<string, unknown> = {};
      if ((request.headers["content-type"] ?? "").includes("application/json")) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        } catch {
          body = {};
        }
      }
      calls.push({ action, body });
      const configured = table.get(action);
      const answer =
        configured === undefined
          ? { error: { code: 1000, type: "InvalidAction", message: `No answer configured for ${action}` } }
          : typeof configured === "function"
            ? configured(body)
            : configured;
      response.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    calls,
    answer: (action, answer) => void table.set(action, answer),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free TCP port on 127.0.0.1 right now (for a server a test starts itself). */
export async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
