/**
 * Error envelope of the SerwerSMS HTTPS API v2: always HTTP 200 with `{"error":{code,type,message}}`
 * (reference §1.4, §4). Only codes documented in §4 are used, plus 3103 which the MMS brief shows as a
 * per-recipient `error_code` (never as a whole-request error).
 */
export const GATEWAY_ERRORS = {
  1000: { type: "InvalidAction", message: "No action specified" },
  1001: { type: "InvalidUser", message: "Incorrect login or password" },
  1002: { type: "InvalidRole", message: "The user may not use the API" },
  1003: { type: "InvalidIP", message: "IP address not authorised" },
  1004: { type: "InvalidID", message: "Invalid ID parameter" },
  1005: { type: "InvalidRole", message: "No permission" },
  1006: { type: "InvalidData", message: "Invalid data format" },
  1007: { type: "InvalidRole", message: "Account is not fully active" },
  1008: { type: "InvalidRole", message: "No permission to view phone numbers" },
  2000: { type: "ValidationRequiredError", message: "Missing required parameters" },
  2001: { type: "ValidationPhoneError", message: "Invalid phone number" },
  2002: { type: "ValidationCodeError", message: "Invalid error code" },
  3000: { type: "SendError", message: "ECO+ limit exhausted" },
  3001: { type: "SendError", message: "No permission to send ECO+ messages" },
  3002: { type: "SendError", message: "FULL limit exhausted" },
  3003: { type: "SendError", message: "No permission to send FULL messages" },
  3004: { type: "SendError", message: "MMS limit exhausted" },
  3005: { type: "SendError", message: "No permission to send MMS messages" },
  3006: { type: "SendError", message: "VOICE limit exhausted" },
  3007: { type: "SendError", message: "No permission to send VOICE messages" },
  3008: { type: "SendError", message: "No permission to send Flash SMS" },
  3009: { type: "SendError", message: "No permission to send SMS" },
  3100: { type: "SendError", message: "Sending messages is blocked" },
  3101: { type: "SendError", message: "Message is empty" },
  3102: { type: "SendError", message: "Message exceeded the maximum length" },
} as const satisfies Record<number, { type: string; message: string }>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

/** Per-recipient failure code from the MMS brief's example answer (not in the §4 table). */
export const INCORRECT_NUMBER = { code: 3103, message: "Incorrect number" } as const;

export function isDocumentedErrorCode(code: number): code is GatewayErrorCode {
  return Object.prototype.hasOwnProperty.call(GATEWAY_ERRORS, code);
}

/** Type and message for any code a test asks to see; undocumented ones (e.g. 4312 from the official tests) get a generic text. */
export function describeErrorCode(code: number): { type: string; message: string } | null {
  if (isDocumentedErrorCode(code)) return GATEWAY_ERRORS[code];
  if (code === INCORRECT_NUMBER.code) return { type: "SendError", message: INCORRECT_NUMBER.message };
  return null;
}

/** Thrown by action handlers; turned into the error envelope by the dispatcher. */
export class GatewayApiError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message?: string,
  ) {
    super(message ?? GATEWAY_ERRORS[code].message);
    this.name = "GatewayApiError";
  }
}

export function errorEnvelope(code: GatewayErrorCode, message?: string) {
  return { error: { code, type: GATEWAY_ERRORS[code].type, message: message ?? GATEWAY_ERRORS[code].message } };
}

export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

export function errorResponse(code: GatewayErrorCode, message?: string): Response {
  return jsonResponse(errorEnvelope(code, message));
}
