/**
 * The words of messages/reports (shared docs serwersms-api.md §3.4, from the PHP2 client's
 * docblock): delivery statuses and failure reasons, and how we show them. Pure data, importable
 * from the UI. The gateway may use a word that is not listed here (a status added since, a new
 * reason): it is kept exactly as it came and shown as such, never mapped to a listed one.
 */

/** `status` of a report item [C: docs §3.4]. */
export const DELIVERY_STATUSES = ["delivered", "undelivered", "pending", "sent", "unsent", "in_progress", "saved"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Statuses no later report changes: the message reached the phone, could not, or never left
 * (docs §3.4). Every other status, an unlisted one included, is asked about again.
 */
export const FINAL_DELIVERY_STATUSES = ["delivered", "undelivered", "unsent"] as const satisfies readonly DeliveryStatus[];

const STATUS_LABELS: Record<DeliveryStatus, string> = {
  delivered: "delivered",
  undelivered: "undelivered",
  pending: "pending",
  sent: "sent, awaiting report",
  unsent: "not sent",
  in_progress: "in progress",
  saved: "scheduled",
};

export function isDeliveryStatus(word: string): word is DeliveryStatus {
  return (DELIVERY_STATUSES as readonly string[]).includes(word);
}

/** What a person reads for a status word: ours for a listed one, "unknown status: …" with the gateway's word otherwise. */
export function deliveryStatusLabel(word: string): string {
  return isDeliveryStatus(word) ? STATUS_LABELS[word] : `unknown status: ${word}`;
}

/** `reason` of an undelivered report [C: docs §3.4]. */
const REASONS: Record<string, string> = {
  message_expired: "The phone stayed unreachable (off or out of range) until the message expired.",
  unsupported_number: "The network does not support MMS to this number.",
  message_rejected: "The operator rejected the message.",
  missed_call: "Missed-call notification (not a delivery).",
  wrong_number: "The number does not exist or is no longer in service.",
  limit_exhausted: "The account's limit ran out before this message went out.",
  lock_send: "Sending was locked on the account.",
  wrong_message: "The operator considered the message invalid.",
  operator_error: "An operator network error prevented delivery.",
  wrong_sender_name: "The sender name was not accepted.",
  number_is_blacklisted: "The recipient is on the blacklist (opted out).",
  sending_to_foreign_networks_is_locked: "Sending to foreign networks is locked on the account.",
  no_permission_to_send_messages: "The account has no permission to send these messages.",
  other_error: "The operator reported an unspecified error.",
};

export function explainDeliveryReason(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return Object.prototype.hasOwnProperty.call(REASONS, reason) ? REASONS[reason]! : `Unknown reason: ${reason} (as the gateway reported it).`;
}
