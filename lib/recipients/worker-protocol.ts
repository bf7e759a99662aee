import type { PhoneColumn, RecipientPlan, ValidRecipient } from "./types";

export type { PhoneColumn, RecipientPlan };

/** What the page asks the recipients worker to analyse. `id` pairs each answer with its request. */
export type RecipientsWorkerRequest =
  | { id: number; kind: "text"; text: string }
  | { id: number; kind: "csv"; text: string }
  | { id: number; kind: "xlsx"; data: ArrayBuffer };

/** `column` is null for pasted text, which has no columns. */
export type RecipientsWorkerResponse =
  | { id: number; ok: true; plan: RecipientPlan; column: PhoneColumn | null }
  | { id: number; ok: false; message: string };

/**
 * A plan as it travels from the worker to the page. Posting 100 000 `{e164, line}` objects made the
 * page spend ~100 ms of one task just deserialising them, although it needs the numbers only when
 * the campaign is sent: they travel as one string plus a transferred Int32Array of lines instead.
 */
export type PackedPlan = Omit<RecipientPlan, "valid"> & { validE164: string; validLines: Int32Array };

/** What the worker really posts (RecipientsWorkerResponse with the plan packed). */
export type RecipientsWorkerMessage =
  | { id: number; ok: true; plan: PackedPlan; column: PhoneColumn | null }
  | { id: number; ok: false; message: string };

export function packPlan(plan: RecipientPlan): { packed: PackedPlan; transfer: Transferable[] } {
  const { valid, ...rest } = plan;
  const validLines = Int32Array.from(valid, (entry) => entry.line);
  return { packed: { ...rest, validE164: valid.map((entry) => entry.e164).join("\n"), validLines }, transfer: [validLines.buffer] };
}

/** The plan again; its `valid` list is rebuilt on first use (when the campaign is sent), not on arrival. */
export function unpackPlan(packed: PackedPlan): RecipientPlan {
  const { validE164, validLines, ...rest } = packed;
  let valid: ValidRecipient[] | null = null;
  return {
    ...rest,
    get valid(): ValidRecipient[] {
      valid ??= validE164 === "" ? [] : validE164.split("\n").map((e164, index) => ({ e164, line: validLines[index] ?? 0 }));
      return valid;
    },
  };
}
