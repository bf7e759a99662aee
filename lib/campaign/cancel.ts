import { explainGatewayCode } from "@/lib/serwersms/error-codes";
import { GatewayClientError, GatewayError, GatewayHttpError } from "@/lib/serwersms/errors";
import type { DeleteMessagesResult, DeliveryReport } from "@/lib/serwersms/types";

/*
 * What a cancel may conclude from the gateway (issue 12 item 3). messages/delete answers
 * `{"success":true,"correct":1,"failed":0}` in the docs' example, but the official clients' docblocks
 * promise only `success`, and deleting an already-sent message answers `success:false`
 * (../shared/docs/serwersms-api.md §3.4, §9.4). A message is marked cancelled only when the gateway
 * confirmed it: by counts that cover every id of the request, or by messages/reports no longer
 * listing it. Anything else keeps it scheduled, with the reason shown to the user and audited.
 */

export type DeleteVerdict =
  /** Every id of the request is confirmed deleted. */
  | { kind: "cancelled" }
  /** Nothing of the request was deleted. */
  | { kind: "refused"; reason: string }
  /** The answer does not say which ids went: ask messages/reports. */
  | { kind: "check" };

const messages = (n: number) => `${n} message${n === 1 ? "" : "s"}`;

/** Reads one messages/delete answer for `requested` ids. */
export function judgeDeleteAnswer(answer: DeleteMessagesResult, requested: number): DeleteVerdict {
  if (!answer.success) {
    // success:false with some deleted is not documented; only reports can tell which.
    if ((answer.deleted ?? 0) > 0) return { kind: "check" };
    return {
      kind: "refused",
      reason: `The gateway refused to cancel ${messages(requested)} (success: false; usually they are already being sent or no longer exist).`,
    };
  }
  if (answer.deleted === requested && (answer.failed === null || answer.failed === 0)) return { kind: "cancelled" };
  if (answer.deleted === 0) return { kind: "refused", reason: `The gateway cancelled none of ${messages(requested)} (correct: 0).` };
  return { kind: "check" };
}

/** Reads a failed messages/delete call: a clear refusal cancels nothing; an unclear outcome is checked. */
export function judgeDeleteError(error: unknown, requested: number): DeleteVerdict {
  if (error instanceof GatewayError) {
    const { title } = explainGatewayCode(error.code, error.gatewayMessage);
    const said = error.gatewayMessage ? `: ${error.gatewayMessage}` : "";
    return { kind: "refused", reason: `The gateway refused to cancel ${messages(requested)} (error ${error.code} ${title}${said}).` };
  }
  if (error instanceof GatewayHttpError) {
    return { kind: "refused", reason: `The gateway answered HTTP ${error.status} and cancelled none of ${messages(requested)}.` };
  }
  // Timeout, dropped connection or an unreadable answer: the delete may have happened.
  if (error instanceof GatewayClientError && error.outcomeUnknown) return { kind: "check" };
  if (error instanceof GatewayClientError) {
    return { kind: "refused", reason: `Could not reach the gateway; none of ${messages(requested)} was cancelled.` };
  }
  throw error;
}

export type ReportCheck = { cancelled: string[]; reasons: string[] };

/**
 * After a delete whose answer did not settle it: a message messages/reports no longer lists is gone
 * (deleted); one still `saved` is still scheduled; any other status means it is already on its way.
 */
export function confirmFromReports(ids: readonly string[], reports: readonly Pick<DeliveryReport, "messageId" | "status">[]): ReportCheck {
  const statusById = new Map(reports.map((report) => [report.messageId, report.status as string]));
  const cancelled: string[] = [];
  let stillScheduled = 0;
  let alreadyOut = 0;
  for (const id of ids) {
    const status = statusById.get(id);
    if (status === undefined) cancelled.push(id);
    else if (status === "saved") stillScheduled++;
    else alreadyOut++;
  }
  const reasons: string[] = [];
  if (stillScheduled > 0) {
    reasons.push(`The gateway did not confirm the cancel and still lists ${stillScheduled} message(s) as scheduled.`);
  }
  if (alreadyOut > 0) reasons.push(`${messages(alreadyOut)} had already left the gateway and could not be cancelled.`);
  return { cancelled, reasons };
}

/** When even messages/reports cannot be asked, the messages are treated as still scheduled. */
export function uncheckedReason(requested: number): string {
  return `The gateway's answer did not confirm the cancel and messages/reports could not be read, so ${messages(requested)} are treated as still scheduled. Try again.`;
}
