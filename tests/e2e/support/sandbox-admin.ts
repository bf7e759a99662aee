import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";

/** The embedded sandbox's credentials in e2e (defaults; see README). */
export const SANDBOX_TOKEN = "sandbox-token";
const auth = { authorization: `Bearer ${SANDBOX_TOKEN}` };

export type LedgerEntry = { id: string; phone: string; title: string; status: string; sendCall: number };

/** Every message the sandbox gateway accepted: the ground truth of what was "sent". */
export async function ledger(request: APIRequestContext, includeDeleted = false): Promise<LedgerEntry[]> {
  const response = await request.post("/sandbox-api/__admin/ledger", { headers: auth, data: { includeDeleted } });
  return ((await response.json()) as { items: LedgerEntry[] }).items;
}

export async function sandboxStats(request: APIRequestContext): Promise<{ sendMmsCalls: number; sendMmsTestCalls: number; requests: number }> {
  return (await request.post("/sandbox-api/__admin/stats", { headers: auth, data: {} })).json();
}

export async function setSandboxFaults(request: APIRequestContext, plan: { latencyMs?: number; rules: Record<string, unknown>[] }) {
  const response = await request.post("/sandbox-api/__admin/faults", { headers: auth, data: plan });
  if (!response.ok()) throw new Error(`could not set faults: ${response.status()}`);
}

export async function advanceSandboxClock(request: APIRequestContext, advanceMs: number) {
  await request.post("/sandbox-api/__admin/clock", { headers: auth, data: { advanceMs } });
}

/** Puts a fixture file straight into the gateway's library (as if uploaded elsewhere) and returns its id. */
export async function addGatewayFile(request: APIRequestContext, fixture: string, name = fixture): Promise<string> {
  const bytes = fs.readFileSync(`tests/fixtures/media/${fixture}`);
  const response = await request.post("/sandbox-api/files/add", { headers: auth, data: { type: "mms", file: bytes.toString("base64"), name } });
  const answer = (await response.json()) as { id?: string; error?: unknown };
  if (!answer.id) throw new Error(`files/add failed: ${JSON.stringify(answer)}`);
  return answer.id;
}
