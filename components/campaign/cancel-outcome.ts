import { isActive } from "@/lib/campaign/lifecycle";
import type { CampaignStatus, CampaignSummary } from "@/lib/campaign/types";
import type { ActionResult } from "@/lib/server/result";

/** What the cancel flow needs to know of a campaign: the campaign page and the history list both have it. */
export type CancelTarget = {
  id: string;
  title: string;
  status: CampaignStatus;
  scheduledFor: number | null;
  recipientCount: number;
  /** Recipients nothing was sent to yet (pending or refused): what a stop spares. */
  notYetSent: number;
};

export type CancelResult = ActionResult<{ summary: CampaignSummary }>;

/** The outcome in words, and the action's answer (null when the server could not be reached). */
export type CancelOutcome = { tone: "ok" | "error"; text: string; result: CancelResult | null };

export const UNREACHABLE = "Could not reach the server. Check the connection and try again.";

/** A sending or paused campaign is stopped; a scheduled one is deleted at the gateway. */
export const isStop = (target: Pick<CancelTarget, "status">) => isActive(target.status);

/** The one wording of a cancel's outcome, wherever it was asked for. */
export function describeCancelOutcome(target: Pick<CancelTarget, "status">, result: CancelResult | null): CancelOutcome {
  if (!result) return { tone: "error", text: UNREACHABLE, result };
  if (!result.ok) return { tone: "error", text: result.message, result };
  if (!isStop(target)) return { tone: "ok", text: "The scheduled send was cancelled. Nobody receives it.", result };
  if (result.summary.status !== "cancelled") {
    // The cancel stopped everything not yet sent, but answers for batches in flight were still coming.
    return {
      tone: "ok",
      text: "Cancelling: nothing more is sent. Batches already on their way are still being answered; the campaign shows “Cancelled” once they are recorded.",
      result,
    };
  }
  return { tone: "ok", text: "The campaign was cancelled: nothing more is sent. Batches that were already on their way finished and are recorded.", result };
}
