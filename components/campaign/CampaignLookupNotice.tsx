import { notReportedYet } from "@/lib/campaign/reconcile";
import type { CampaignSummary } from "@/lib/campaign/types";
import { formatWarsawTime } from "@/lib/format/units";

/**
 * After a "Check with gateway" that did not find every number: the gateway's reports can trail a
 * send, so those numbers stay unknown, are never resent and never offered for retry, until a check
 * after `checkAfter` (lib/campaign/reconcile.ts). The live region is always there, so a screen
 * reader announces the words when a check puts them in.
 */
export function CampaignLookupNotice({ summary }: { summary: CampaignSummary }) {
  const lookup = summary.inconclusive;
  return (
    <div role="status" aria-live="polite" data-testid="campaign-lookup-notice">
      {lookup ? (
        <p className="rounded-md border border-warn/30 bg-warn-light p-3 text-sm text-slate-800">
          <strong className="font-semibold text-warn">{notReportedYet(lookup.numbers, lookup.checkAfter)}.</strong>{" "}
          {lookup.checkedAt !== null ? `Last checked at ${formatWarsawTime(lookup.checkedAt)}. ` : ""}
          They may well have been sent: they are never resent automatically, and become retryable only if a check after that time
          still does not find them.
        </p>
      ) : null}
    </div>
  );
}
