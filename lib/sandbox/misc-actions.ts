import type { ActionHandler } from "@/lib/sandbox/action-context";
import { GatewayApiError } from "@/lib/sandbox/errors";
import { normalizeGatewayPhone } from "@/lib/sandbox/phones";

/*
 * Small documented actions the official clients' tests call (API reference §3.5, §6 items 9 and 10)
 * that an MMS-only sandbox can answer honestly. senders/add stays unimplemented: keeping a sender name
 * needs a table of its own (tests/integration/sandbox-conformance.test.ts lists it as a known gap).
 */

/** `{"items":[{name, agreement, status}]}`; no sender names are registered on a sandbox account. */
const listSenders: ActionHandler = () => ({ items: [] });

/** `{"correct":true|false}`: whether the gateway would take the number (the same check as send_mms). */
const testPhone: ActionHandler = (params) => {
  const phone = params.requiredString("phone").trim();
  if (phone === "") throw new GatewayApiError(2000, "Missing required parameter: phone");
  return { correct: normalizeGatewayPhone(phone) !== null };
};

export const miscActions: Record<string, ActionHandler> = {
  "senders/index": listSenders,
  "phones/test": testPhone,
};
