import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { APIRequestContext } from "@playwright/test";
import type { LedgerEntry } from "@/lib/sandbox/types";

export type { LedgerEntry };

/** The embedded sandbox's default Bearer token (SANDBOX_TOKEN); e2e runs never set another. */
export const SANDBOX_TOKEN = "sandbox-token";

const MEDIA_FIXTURES = fileURLToPath(new URL("../../fixtures/media/", import.meta.url));
const RECIPIENT_FIXTURES = fileURLToPath(new URL("../../fixtures/recipients/", import.meta.url));

export const mediaFixture = (name: string) => `${MEDIA_FIXTURES}${name}`;
export const recipientFixture = (name: string) => `${RECIPIENT_FIXTURES}${name}`;

type GatewayAnswer = { error?: { code: number; type: string; message: string } } & Record<string, unknown>;

/** A gateway call straight to the sandbox, as the real SerwerSMS API would be called. */
export async function callSandbox<T>(api: APIRequestContext, action: string, body: Record<string, unknown> = {}): Promise<T> {
  const response = await api.post(`/sandbox-api/${action}`, {
    data: body,
    headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
  });
  const answer = (await response.json()) as GatewayAnswer;
  if (answer.error) throw new Error(`sandbox ${action} refused: ${answer.error.code} ${answer.error.message}`);
  return answer as T;
}

/** Puts a fixture into the sandbox's MMS library under `name` (as if uploaded in the SerwerSMS panel). */
export async function addLibraryFile(api: APIRequestContext, fixture: string, name: string): Promise<{ id: string; name: string }> {
  const file = readFileSync(mediaFixture(fixture)).toString("base64");
  const { id } = await callSandbox<{ id: string }>(api, "files/add", { type: "mms", file, name });
  return { id, name };
}

/** Every message the sandbox accepted (test sends are never recorded); cancelled ones only when asked. */
export async function readLedger(api: APIRequestContext, { includeDeleted = false } = {}): Promise<LedgerEntry[]> {
  const { items } = await callSandbox<{ items: LedgerEntry[] }>(api, "__admin/ledger", { includeDeleted });
  return items;
}

/** The ledger entries of one campaign; every spec uses titles nobody else uses. */
export async function ledgerFor(api: APIRequestContext, title: string, options?: { includeDeleted?: boolean }): Promise<LedgerEntry[]> {
  return (await readLedger(api, options)).filter((entry) => entry.title === title);
}

export type { SandboxStats } from "@/lib/sandbox/types";
import type { SandboxStats } from "@/lib/sandbox/types";

export async function sandboxStats(api: APIRequestContext): Promise<SandboxStats> {
  return callSandbox<SandboxStats>(api, "__admin/stats");
}

/** Injects faults into the sandbox (see lib/sandbox/faults.ts); `{ rules: [] }` clears them. */
export async function setSandboxFaults(api: APIRequestContext, plan: { latencyMs?: number; rules: Record<string, unknown>[] }): Promise<void> {
  await callSandbox(api, "__admin/faults", plan);
}

/** Moves the sandbox's clock forward, so delivery statuses progress without waiting. */
export async function advanceSandboxClock(api: APIRequestContext, advanceMs: number): Promise<void> {
  await callSandbox(api, "__admin/clock", { advanceMs });
}

/** How many MMS the sandbox account may still send, as account/limits reports it to the app. */
export async function sandboxCredit(api: APIRequestContext): Promise<number> {
  const { items } = await callSandbox<{ items: { type: string; value: string }[] }>(api, "account/limits");
  return Number(items.find((item) => item.type === "mms")?.value);
}

/** Sets the sandbox's MMS credit; a send of more numbers than are left is refused with 3004. */
export async function setSandboxCredit(api: APIRequestContext, mms: number): Promise<void> {
  await callSandbox(api, "__admin/credit", { mms });
}

/** Empties the sandbox (files, ledger, faults, credit) for a spec that needs a library of its own. */
export async function resetSandbox(api: APIRequestContext): Promise<void> {
  await callSandbox(api, "__admin/reset");
}
