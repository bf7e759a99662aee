/** Failure reasons the gateway documents for `messages/reports` (reference §3.4) that fit an MMS to a phone. */
export const UNDELIVERED_REASONS = [
  "message_expired",
  "unsupported_number",
  "message_rejected",
  "wrong_number",
  "number_is_blacklisted",
  "operator_error",
  "other_error",
] as const;

export type PlannedDeliveryOutcome = { status: "delivered" } | { status: "undelivered"; reason: string };

/**
 * 32-bit FNV-1a over the UTF-16 code units, then the MurmurHash3 finaliser so that neighbouring numbers
 * (…700, …701) land far apart. Not cryptographic, and need not be: it only has to be stable and even.
 */
export function stablePhoneHash(phone: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < phone.length; i++) {
    hash ^= phone.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The final report a recipient will get, fixed per number so tests and demos are repeatable:
 * h = stablePhoneHash(E.164 string, e.g. "+48500600700");
 * undelivered when h % 10 === 0 (about 1 number in 10), with reason UNDELIVERED_REASONS[floor(h / 10) % 7];
 * every other number is delivered.
 */
export function plannedDeliveryOutcome(phone: string): PlannedDeliveryOutcome {
  const hash = stablePhoneHash(phone);
  if (hash % 10 !== 0) return { status: "delivered" };
  const reason = UNDELIVERED_REASONS[Math.floor(hash / 10) % UNDELIVERED_REASONS.length] ?? "other_error";
  return { status: "undelivered", reason };
}

export type DeliveryTimeline = { sentAfterMs: number; finalAfterMs: number };

export const DEFAULT_DELIVERY_TIMELINE: DeliveryTimeline = { sentAfterMs: 2000, finalAfterMs: 6000 };

export type DeliveryTransition = { status: "in_progress" | "sent" | "delivered" | "undelivered"; at: number };

/**
 * Where delivery statuses advance: the report statuses a message takes after dispatch and when
 * (sandbox clock, epoch ms). `reportStatusAt` (store.ts) answers reports from the same timeline; the
 * push (push.ts) reports each of these changes to the configured URL.
 */
export function deliveryTransitions(sendAt: number, planned: PlannedDeliveryOutcome["status"], timeline: DeliveryTimeline): DeliveryTransition[] {
  return [
    { status: "in_progress", at: sendAt },
    { status: "sent", at: sendAt + timeline.sentAfterMs },
    { status: planned, at: sendAt + timeline.finalAfterMs },
  ];
}
