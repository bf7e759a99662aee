import type { CampaignSummary } from "@/lib/campaign/types";
import { formatWarsawDateTime, plural } from "@/lib/format/units";

/** Said when a paused campaign carries no reason of its own (an older record). */
const NO_REASON = "Sending is paused.";

/**
 * Why a campaign is paused and since when: a person paused it, or the engine did after a refusal that
 * would only repeat (lib/campaign/lifecycle.ts autoPauseReason, e.g. the credit is used up). The live
 * region is always there, so a screen reader announces the reason the moment a poll brings it.
 */
export function CampaignPauseNotice({ summary }: { summary: CampaignSummary }) {
  const pause = summary.status === "paused" ? summary.pause : null;
  const onTheirWay = summary.batches.sending;
  const notSent = summary.recipients.pending + summary.recipients.failed;
  return (
    <div role="status" aria-live="polite" data-testid="campaign-pause-notice">
      {pause ? (
        <div className="rounded-md border border-warn/30 bg-warn-light p-3 text-sm text-slate-800">
          <p>
            <strong className="font-semibold text-warn">{pause.reason ?? NO_REASON}</strong>
            {pause.at !== null ? <> Paused since {formatWarsawDateTime(pause.at)} (Warsaw).</> : null}
          </p>
          <p className="mt-1">
            {onTheirWay > 0
              ? `${plural(onTheirWay, "batch", "batches")} already on ${onTheirWay === 1 ? "its" : "their"} way ${onTheirWay === 1 ? "finishes" : "finish"} and ${onTheirWay === 1 ? "is" : "are"} recorded; nothing new is sent. `
              : "Nothing new is sent. "}
            {notSent > 0 ? `Still to send: ${plural(notSent, "recipient")}.` : ""}
            {summary.actions.resume ? " “Resume sending” goes on where it stopped, refused batches included; nobody gets the MMS twice." : ""}
          </p>
        </div>
      ) : null}
    </div>
  );
}
