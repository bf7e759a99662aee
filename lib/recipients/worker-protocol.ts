import type { PhoneColumn, RecipientPlan } from "./types";

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
