/**
 * Plain-language explanations of SerwerSMS error codes and delivery reasons (shared docs §4, §3.4).
 * Pure data: the server uses it for messages, the UI for per-recipient results.
 */
export type Explanation = { title: string; explanation: string; nextStep: string };

const CODES: Record<number, Explanation> = {
  1000: { title: "Unknown action", explanation: "The gateway did not recognise the request.", nextStep: "Check SERWERSMS_API_URL points at the HTTPS API v2." },
  1001: { title: "Wrong gateway login", explanation: "The gateway rejected our API token or API user.", nextStep: "An admin must check SERWERSMS_TOKEN or SERWERSMS_USERNAME/PASSWORD." },
  1002: { title: "API access not allowed", explanation: "This gateway account may not use the API.", nextStep: "Enable HTTPS API for the user in the SerwerSMS panel." },
  1003: { title: "Server address not allowed", explanation: "The gateway only accepts requests from approved IP addresses.", nextStep: "Add this server's IP address in the SerwerSMS panel." },
  1004: { title: "Unknown id", explanation: "The gateway does not know one of the ids we sent (file or message).", nextStep: "Refresh the media library; the file may have been deleted." },
  1005: { title: "No permission", explanation: "The gateway account lacks permission for this action.", nextStep: "Ask the account owner to grant it in the SerwerSMS panel." },
  1006: { title: "Invalid data", explanation: "The gateway refused the data format.", nextStep: "Check the file or values and try again." },
  1007: { title: "Account not active", explanation: "The gateway account is not fully activated.", nextStep: "Finish activation in the SerwerSMS panel." },
  1008: { title: "No permission to view numbers", explanation: "The account may not read phone numbers in reports.", nextStep: "Ask the account owner for the permission." },
  2000: { title: "Missing data", explanation: "A required value was missing.", nextStep: "Fill in every required field." },
  2001: { title: "Invalid phone number", explanation: "The gateway refused a phone number.", nextStep: "Correct the number and send again." },
  3004: { title: "MMS credit used up", explanation: "The account has no MMS left; nothing in this request was sent.", nextStep: "Top up MMS credit, then retry the failed batches." },
  3005: { title: "MMS not enabled", explanation: "This account may not send MMS.", nextStep: "Ask SerwerSMS to enable MMS for the account." },
  3100: { title: "Sending blocked", explanation: "Sending is blocked on the account.", nextStep: "Contact SerwerSMS support." },
  3101: { title: "Empty message", explanation: "The message had no content.", nextStep: "Add a title and at least one file." },
  3102: { title: "Message too long", explanation: "The title or content exceeds the gateway limit (title: 40 characters).", nextStep: "Shorten the title." },
  3103: { title: "Incorrect number", explanation: "The gateway could not send to this number.", nextStep: "Check the number; remove it if it is not a mobile number." },
};

export function explainGatewayCode(code: number | null | undefined, fallbackMessage?: string | null): Explanation {
  if (code != null && CODES[code]) return CODES[code];
  return {
    title: code != null ? `Gateway error ${code}` : "Gateway error",
    explanation: fallbackMessage || "The gateway refused the request.",
    nextStep: "Try again later; if it persists, contact SerwerSMS support with this code.",
  };
}

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
  return REASONS[reason] ?? `The operator reported: ${reason.replaceAll("_", " ")}.`;
}
