import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { plannedDeliveryOutcome } from "@/lib/sandbox";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import type { SandboxOptions } from "@/lib/sandbox/types";
import { wavOfSize } from "./wav";

/** Shared by every test that talks to a sandbox gateway over HTTP. */
export const TEST_TOKEN = "test-token-0123456789";
export const TEST_USERNAME = "apiuser";
export const TEST_PASSWORD = "s3cret-pass";

/** A valid 1×1 PNG. */
export const PNG_BYTES = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** A valid mono 8 kHz 16-bit WAV with 4 samples. */
export function wavBytes(): Buffer {
  return wavOfSize(44 + 8);
}

export type TestSandbox = SandboxServer & {
  dir: string;
  /** POSTs JSON with the Bearer token (unless `auth: "none"`) and returns the parsed answer. */
  call(action: string, body?: Record<string, unknown>, init?: { auth?: "token" | "none" }): Promise<any>;
  /** POSTs any body with the Bearer token. */
  raw(action: string, init?: RequestInit): Promise<Response>;
  admin(action: string, body?: Record<string, unknown>): Promise<any>;
  uploadPng(name?: string): Promise<string>;
  dispose(): Promise<void>;
};

export function makeTempDir(prefix = "sandbox-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A test sandbox's options: its data in `dir`, the shared test credentials, the admin endpoint on. */
export function testSandboxOptions(dir: string): SandboxOptions {
  return {
    dataDir: path.join(dir, "data"),
    dbPath: path.join(dir, "gateway.db"),
    token: TEST_TOKEN,
    username: TEST_USERNAME,
    password: TEST_PASSWORD,
    adminEnabled: true,
  };
}

/** The first number from `from` on whose delivery the sandbox plans `wanted` (its rule is deterministic). */
export function numberWithPlannedOutcome(wanted: "delivered" | "undelivered", from = 500_000_000): string {
  for (let n = from; ; n++) {
    const phone = `+48${n}`;
    if (plannedDeliveryOutcome(phone).status === wanted) return phone;
  }
}

export async function startTestSandbox(overrides: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dir = makeTempDir();
  const server = await startSandboxServer({ ...testSandboxOptions(dir), ...overrides });
  const authHeader = { authorization: `Bearer ${TEST_TOKEN}` };
  const raw = (action: string, init: RequestInit = {}) =>
    fetch(server.baseUrl + action, { method: "POST", ...init, headers: { ...authHeader, ...(init.headers as Record<string, string>) } });
  const call = async (action: string, body: Record<string, unknown> = {}, init: { auth?: "token" | "none" } = {}) => {
    const response = await fetch(server.baseUrl + action, {
      method: "POST",
      headers: { "content-type": "application/json", ...(init.auth === "none" ? {} : authHeader) },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status} for ${action}`);
    return response.json();
  };
  return {
    ...server,
    dir,
    call,
    raw,
    admin: (action, body) => call(`__admin/${action}`, body),
    async uploadPng(name = "pic.png") {
      const answer = await call("files/add", { type: "mms", file: PNG_BYTES.toString("base64"), name });
      if (!answer.success) throw new Error(`upload failed: ${JSON.stringify(answer)}`);
      return answer.id as string;
    },
    async dispose() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway HTTP server on 127.0.0.1 for the URL-import tests. */
export async function startFileServer(routes: Record<string, (res: http.ServerResponse) => void>) {
  const server = http.createServer((req, res) => {
    const route = routes[req.url ?? ""];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (pathname: string) => `http://127.0.0.1:${port}${pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
