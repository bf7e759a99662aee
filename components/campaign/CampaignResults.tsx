"use client";

import type { ReactNode } from "react";
import { QueryError } from "@/components/ui/QueryError";
import type { CampaignSummary } from "@/lib/campaign/types";
import { formatWarsawDateTime } from "@/lib/format/units";
import { describeSchedule } from "@/lib/schedule/format";
import { CampaignActions } from "./CampaignActions";
import { CampaignLookupNotice } from "./CampaignLookupNotice";
import { CampaignPauseNotice } from "./CampaignPauseNotice";
import { CampaignProblems } from "./CampaignProblems";
import { CampaignProgress } from "./CampaignProgress";
import { CampaignTotals } from "./CampaignTotals";
import { DeliveryCheckNotice } from "./DeliveryCheckNotice";
import { campaignStatusBadge, TONE_CLASS } from "./labels";
import { RecipientResultsTable } from "./RecipientResultsTable";
import { isCampaignLive, useCampaignSummary } from "./useCampaign";

function ScheduleLine({ summary }: { summary: CampaignSummary }) {
  if (summary.test || summary.scheduledFor === null) return null;
  const when = describeSchedule(new Date(summary.scheduledFor));
  if (summary.displayStatus === "scheduled") {
    return (
      <p data-testid="campaign-schedule" className="text-sm font-medium text-brand-dark">
        Scheduled for {when}. The gateway holds the messages until then; you can still cancel.
      </p>
    );
  }
  if (summary.status === "cancelled") {
    return (
      <p data-testid="campaign-schedule" className="text-sm text-slate-700">
        Was scheduled for {when}; cancelled, nobody receives it.
      </p>
    );
  }
  return (
    <p data-testid="campaign-schedule" className="text-sm text-slate-700">
      Scheduled for {when}.
    </p>
  );
}

/**
 * Everything about one campaign after it was started: live progress, why it is paused, totals,
 * problems, the operations the server allows, and the per-recipient table. Self-contained (it fetches
 * by id), so the history page can show the same view. One polling loop: the summary
 * (useCampaignSummary); the table is fetched again when the summary says its rows changed.
 */
export function CampaignResults({
  campaignId,
  initialSummary,
  heading,
  footer,
  serverPollsDelivery = true,
}: {
  campaignId: string;
  /** A summary the server already loaded (e.g. a history page), shown at once and then kept fresh. */
  initialSummary?: CampaignSummary;
  /** Overrides the campaign title as the section heading. */
  heading?: string;
  /** Extra links or buttons under the results (e.g. "New campaign"). */
  footer?: ReactNode;
  /** DELIVERY_POLLING: whether the server asks the gateway for delivery statuses (off: the gateway pushes them). */
  serverPollsDelivery?: boolean;
}) {
  const summaryQuery = useCampaignSummary(campaignId, initialSummary);
  const summary = summaryQuery.data;
  const live = isCampaignLive(summary);

  const headingId = `campaign-${campaignId}-heading`;
  if (!summary) {
    return (
      <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id={headingId} className="text-lg font-semibold">
          {heading ?? "Campaign"}
        </h2>
        {summaryQuery.isError ? (
          <QueryError
            error={summaryQuery.error}
            fallback="The campaign could not be loaded."
            onRetry={() => void summaryQuery.refetch()}
            className="mt-2 text-sm text-danger"
          />
        ) : (
          <p role="status" className="mt-2 text-sm text-slate-600">
            Loading the campaign…
          </p>
        )}
        {footer ? <div className="mt-4 flex flex-wrap gap-3">{footer}</div> : null}
      </section>
    );
  }

  const badge = campaignStatusBadge(summary);
  return (
    <section aria-labelledby={headingId} data-testid="campaign-results" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-lg font-semibold">
            {heading ?? summary.title}
          </h2>
          {heading ? <p className="text-sm text-slate-700">“{summary.title}”</p> : null}
          <p className="text-xs text-slate-500">
            Started {formatWarsawDateTime(summary.createdAt)} by {summary.createdByEmail}
          </p>
        </div>
        <span data-testid="campaign-status" className={`rounded-full px-3 py-1 text-sm font-semibold ${TONE_CLASS[badge.tone]}`}>
          {badge.label}
        </span>
      </div>

      {summary.test ? (
        <p role="note" className="rounded-md border border-sandbox/30 bg-sandbox-light p-3 text-sm font-medium text-sandbox">
          Test mode — nothing sent. The gateway checked every number and answered as it would for a real send; no MMS went out and no
          credit was used.
        </p>
      ) : null}
      <ScheduleLine summary={summary} />

      <CampaignPauseNotice summary={summary} />
      <CampaignProgress summary={summary} live={live} />
      <CampaignTotals summary={summary} />
      <DeliveryCheckNotice summary={summary} serverPolls={serverPollsDelivery} />
      <CampaignProblems summary={summary} />
      <CampaignLookupNotice summary={summary} />
      <CampaignActions summary={summary} />
      <RecipientResultsTable summary={summary} />

      {footer ? <div className="flex flex-wrap gap-3 border-t border-slate-200 pt-4">{footer}</div> : null}
    </section>
  );
}
