/**
 * What the composer says when its start-campaign request cannot go, or does not come back.
 *
 * A server-action body over the limit, or one the server cannot decode, is refused by Next before any
 * of our code runs: the browser only sees the action's promise reject (a 500 whose body holds a digest),
 * exactly as for a dropped connection. So the composer checks the size itself before sending (the
 * only cause it can know), and otherwise says what is safe to do: press the same button again, since the
 * idempotency key kept in the draft makes a repeat the same request (components/compose/draft.ts).
 */
import { formatBytes } from "@/lib/format/units";
import { actionFormBytes, fitsInOneServerAction, SERVER_ACTION_BODY_LIMIT_BYTES } from "@/lib/http/server-action-limits";
import type { IntentKind } from "./draft";

/** Null when the form fits in one server action; otherwise why nothing is sent. */
export function requestTooLarge(form: FormData): string | null {
  const bytes = actionFormBytes(form);
  if (fitsInOneServerAction(bytes)) return null;
  return (
    `The recipient list is too large to send in one request (${formatBytes(bytes)}; the server takes at most ${formatBytes(SERVER_ACTION_BODY_LIMIT_BYTES)}). ` +
    "Nothing was sent. Split the list into several campaigns."
  );
}

const DID_NOT_GET_THROUGH = "did not get through (the connection dropped, or the server could not read it)";

/** `button` is the label of the button that sent it ("Send", "Schedule"). */
export function requestFailedMessage(kind: IntentKind, button: string): string {
  if (kind === "test") return `The preview request ${DID_NOT_GET_THROUGH}. Run the preview again.`;
  return (
    `The request ${DID_NOT_GET_THROUGH}, so it is not known whether the campaign started. ` +
    `Press ${button} again: it repeats the same request, which can never send twice.`
  );
}
