/**
 * Every SerwerSMS error code this app explains or reacts to, in one table, with where it comes from.
 * Pure data: the server uses it for messages, the UI for per-recipient results.
 *
 * Sources, per code:
 * - "docs": the error table of the HTTPS API v2 (https://dev.serwersms.pl/en/https-api-v2/general-communications),
 *   as recorded in the shared reference serwersms-api.md §4 [C]: 1000–1008, 2000–2002, 3000–3009, 3100–3102.
 * - "brief": the MMS brief's example send answer (brief-sending-mms.txt, the send_mms answer), which shows
 *   3103 "Incorrect number" as a per-recipient `error_code`; no vendor table confirms it.
 * - "sandbox": a code only our gateway double (lib/sandbox) invented. There is none today, and the app
 *   must not key on one: the sandbox keeps its own copy of the documented table (lib/sandbox/errors.ts)
 *   so that a mistake in one cannot hide behind the other.
 * A code missing here is not an error: its meaning is asked from the gateway (`error/<code>`, see
 * client.ts) and shown beside our generic words.
 */
export type Explanation = { title: string; explanation: string; nextStep: string };

export type CodeSource = "docs" | "brief" | "sandbox";

type CodeEntry = Explanation & {
  /** The `type` the gateway gives with the code (docs §4). */
  type: string;
  source: CodeSource;
};

const GATEWAY_CODES = {
  1000: { source: "docs", type: "InvalidAction", title: "Unknown action", explanation: "The gateway did not recognise the request.", nextStep: "Check SERWERSMS_API_URL points at the HTTPS API v2." },
  1001: { source: "docs", type: "InvalidUser", title: "Wrong gateway login", explanation: "The gateway rejected our API token or API user.", nextStep: "An admin must check SERWERSMS_TOKEN or SERWERSMS_USERNAME/PASSWORD." },
  1002: { source: "docs", type: "InvalidRole", title: "API access not allowed", explanation: "This gateway account may not use the API.", nextStep: "Enable HTTPS API for the user in the SerwerSMS panel." },
  1003: { source: "docs", type: "InvalidIP", title: "Server address not allowed", explanation: "The gateway only accepts requests from approved IP addresses.", nextStep: "Add this server's IP address in the SerwerSMS panel." },
  1004: { source: "docs", type: "InvalidID", title: "Unknown id", explanation: "The gateway does not know one of the ids we sent (file or message).", nextStep: "Refresh the media library; the file may have been deleted." },
  1005: { source: "docs", type: "InvalidRole", title: "No permission", explanation: "The gateway account lacks permission for this action.", nextStep: "Ask the account owner to grant it in the SerwerSMS panel." },
  1006: { source: "docs", type: "InvalidData", title: "Invalid data", explanation: "The gateway refused the data format.", nextStep: "Check the file or values and try again." },
  1007: { source: "docs", type: "InvalidRole", title: "Account not active", explanation: "The gateway account is not fully activated.", nextStep: "Finish activation in the SerwerSMS panel." },
  1008: { source: "docs", type: "InvalidRole", title: "No permission to view numbers", explanation: "The account may not read phone numbers in reports.", nextStep: "Ask the account owner for the permission." },
  2000: { source: "docs", type: "ValidationRequiredError", title: "Missing data", explanation: "A required value was missing.", nextStep: "Fill in every required field." },
  2001: { source: "docs", type: "ValidationPhoneError", title: "Invalid phone number", explanation: "The gateway refused a phone number.", nextStep: "Correct the number and send again." },
  2002: { source: "docs", type: "ValidationCodeError", title: "Unknown error code", explanation: "The gateway was asked about an error code it does not have.", nextStep: "Nothing to do; the original error is shown as the gateway gave it." },
  3000: { source: "docs", type: "SendError", title: "ECO+ credit used up", explanation: "The account has no ECO+ SMS left.", nextStep: "Top up the account." },
  3001: { source: "docs", type: "SendError", title: "ECO+ not enabled", explanation: "This account may not send ECO+ SMS.", nextStep: "Ask SerwerSMS to enable it." },
  3002: { source: "docs", type: "SendError", title: "FULL credit used up", explanation: "The account has no FULL SMS left.", nextStep: "Top up the account." },
  3003: { source: "docs", type: "SendError", title: "FULL not enabled", explanation: "This account may not send FULL SMS.", nextStep: "Ask SerwerSMS to enable it." },
  3004: { source: "docs", type: "SendError", title: "MMS credit used up", explanation: "The account has no MMS left; nothing in this request was sent.", nextStep: "Top up MMS credit, then retry the failed batches." },
  3005: { source: "docs", type: "SendError", title: "MMS not enabled", explanation: "This account may not send MMS.", nextStep: "Ask SerwerSMS to enable MMS for the account." },
  3006: { source: "docs", type: "SendError", title: "VOICE credit used up", explanation: "The account has no voice messages left.", nextStep: "Top up the account." },
  3007: { source: "docs", type: "SendError", title: "VOICE not enabled", explanation: "This account may not send voice messages.", nextStep: "Ask SerwerSMS to enable it." },
  3008: { source: "docs", type: "SendError", title: "Flash SMS not enabled", explanation: "This account may not send Flash SMS.", nextStep: "Ask SerwerSMS to enable it." },
  3009: { source: "docs", type: "SendError", title: "SMS not enabled", explanation: "This account may not send SMS.", nextStep: "Ask SerwerSMS to enable it." },
  3100: { source: "docs", type: "SendError", title: "Sending blocked", explanation: "Sending is blocked on the account.", nextStep: "Contact SerwerSMS support." },
  3101: { source: "docs", type: "SendError", title: "Empty message", explanation: "The message had no content.", nextStep: "Add a title and at least one file." },
  3102: { source: "docs", type: "SendError", title: "Message too long", explanation: "The title or content exceeds the gateway limit (title: 40 characters).", nextStep: "Shorten the title." },
  3103: { source: "brief", type: "SendError", title: "Incorrect number", explanation: "The gateway could not send to this number.", nextStep: "Check the number; remove it if it is not a mobile number." },
} as const satisfies Record<number, CodeEntry>;

export type KnownGatewayCode = keyof typeof GATEWAY_CODES;

/** Every code in the table with its entry (for tests and documentation). */
export const KNOWN_GATEWAY_CODES: readonly (CodeEntry & { code: KnownGatewayCode })[] = Object.entries(GATEWAY_CODES).map(([code, entry]) => ({
  code: Number(code) as KnownGatewayCode,
  ...entry,
}));

export function isKnownGatewayCode(code: number): code is KnownGatewayCode {
  return Object.prototype.hasOwnProperty.call(GATEWAY_CODES, code);
}

/**
 * The codes the app's own logic reacts to, named after their confirmed meaning (docs §4). Refused
 * files are NOT keyed on a code: any error envelope from files/add refuses that one file (the docs
 * give no file-error codes; 1006 for a bad file is only how the sandbox answers).
 */
/** 1004 InvalidID "invalid ID parameter": files/view and files/delete answer it for an id the gateway does not have. */
export const INVALID_ID = 1004 satisfies KnownGatewayCode;
/** 1000 InvalidAction: the answer to an action the gateway does not have (the sandbox-only files/download on the real gateway). */
export const INVALID_ACTION = 1000 satisfies KnownGatewayCode;
/** 2002 ValidationCodeError "invalid error code": what `error/<code>` answers for a code the gateway does not have. */
export const INVALID_ERROR_CODE = 2002 satisfies KnownGatewayCode;

/** For a code we do not know, `gatewayText` (the gateway's own description, else its message) is the explanation. */
export function explainGatewayCode(code: number | null | undefined, gatewayText?: string | null): Explanation {
  if (code != null && isKnownGatewayCode(code)) {
    const { title, explanation, nextStep } = GATEWAY_CODES[code];
    return { title, explanation, nextStep };
  }
  return {
    title: code != null ? `Gateway error ${code}` : "Gateway error",
    explanation: gatewayText ? `The gateway says: “${gatewayText}”` : "The gateway refused the request.",
    nextStep: "Try again later; if it persists, contact SerwerSMS support with this code.",
  };
}

/** What we know of one refusal: the code, the gateway's message, and its description of a code we do not know. */
export type RefusalFacts = { code: number; gatewayMessage: string; description?: string | null };

/** "4321: a code this app does not know; the gateway describes it as “…”": ours and theirs, side by side. */
function unknownCode(facts: RefusalFacts): string {
  const theirs = facts.description || facts.gatewayMessage;
  return `${facts.code}: a code this app does not know${theirs ? `; the gateway describes it as “${theirs}”` : ""}`;
}

/**
 * One sentence for a refusal, the same wherever it is shown: `${subject} (3004: MMS credit used up). Top up…`.
 * For a code the app does not know, ours says so and the gateway's own description stands beside it.
 */
export function describeRefusal(subject: string, facts: RefusalFacts): string {
  if (isKnownGatewayCode(facts.code)) {
    const { title, nextStep } = GATEWAY_CODES[facts.code];
    return `${subject} (${facts.code}: ${title}). ${nextStep}`;
  }
  return `${subject} (${unknownCode(facts)}). ${explainGatewayCode(facts.code).nextStep}`;
}

/**
 * A refusal told in the gateway's own words (`${subject}: ${message}`), for refusals whose reason
 * only the gateway knows (a file it will not take). A code we do not know gets its description too.
 */
export function quoteRefusal(subject: string, facts: RefusalFacts): string {
  if (!facts.gatewayMessage) return describeRefusal(subject, facts);
  const quoted = `${subject}: ${facts.gatewayMessage}`;
  return isKnownGatewayCode(facts.code) ? quoted : `${quoted} (${unknownCode(facts)})`;
}
