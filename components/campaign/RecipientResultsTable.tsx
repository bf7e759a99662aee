"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/Button";
import { QueryError } from "@/components/ui/QueryError";
import type { CampaignSummary, RecipientResult } from "@/lib/campaign/types";
import { formatCount } from "@/lib/format/units";
import { RECIPIENT_FILTERS, RECIPIENT_STATUS, TONE_CLASS } from "./labels";
import { type RecipientPageParams, recipientsVersion, useRecipientResults } from "./useCampaign";

const PAGE_SIZE = 50;

function StatusCell({ row, test }: { row: RecipientResult; test: boolean }) {
  const status = RECIPIENT_STATUS[row.status];
  return (
    <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ${TONE_CLASS[status.tone]}`}>
      {status.label}
      {test && row.status === "queued" ? " (test)" : ""}
    </span>
  );
}

/**
 * The gateway's answer for each recipient, a page at a time from the recipients endpoint, filterable
 * by status. It does not poll: a new summary that changes what the rows show fetches them again.
 */
export function RecipientResultsTable({ summary }: { summary: CampaignSummary }) {
  const [params, setParams] = useState<RecipientPageParams>({ status: "all", page: 1, pageSize: PAGE_SIZE });
  const results = useRecipientResults(summary.id, params, recipientsVersion(summary));
  const filterId = useId();
  const captionId = useId();
  const data = results.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const showDelivery = !summary.test && (data?.rows.some((row) => row.deliveryStatus) ?? false);

  return (
    <section aria-labelledby={captionId} className="space-y-2">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h3 id={captionId} className="text-sm font-semibold">
          Per recipient{summary.test ? " (test, nothing sent)" : ""}
        </h3>
        <div className="flex flex-wrap items-end gap-2">
          <label htmlFor={filterId} className="text-sm">
            Show{" "}
            <select
              id={filterId}
              value={params.status}
              onChange={(event) => setParams({ ...params, status: event.target.value as RecipientPageParams["status"], page: 1 })}
              className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            >
              {RECIPIENT_FILTERS.filter((filter) => !summary.test || (filter.value !== "delivered" && filter.value !== "undelivered")).map(
                (filter) => (
                  <option key={filter.value} value={filter.value}>
                    {filter.label}
                  </option>
                ),
              )}
            </select>
          </label>
          <a
            href={`/api/campaigns/${encodeURIComponent(summary.id)}/export`}
            download
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-semibold text-slate-800 hover:bg-slate-50"
          >
            Download CSV
          </a>
        </div>
      </div>

      {results.isError && !data ? (
        <QueryError
          error={results.error}
          fallback="The results could not be loaded."
          onRetry={() => void results.refetch()}
          className="text-sm text-danger"
        />
      ) : null}

      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" aria-labelledby={captionId} aria-busy={results.isFetching}>
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">#</th>
              <th scope="col" className="px-3 py-2">Phone</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2">Message ID</th>
              <th scope="col" className="px-3 py-2">Error code</th>
              <th scope="col" className="px-3 py-2">What happened</th>
              <th scope="col" className="px-3 py-2">Next step</th>
              {showDelivery ? <th scope="col" className="px-3 py-2">Delivery</th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data?.rows.map((row) => (
              <tr key={row.position} data-testid="recipient-row">
                <td className="px-3 py-2 tabular-nums text-slate-500">{row.position + 1}</td>
                <td className="whitespace-nowrap px-3 py-2 font-mono">{row.phone}</td>
                <td className="px-3 py-2">
                  <StatusCell row={row} test={summary.test} />
                </td>
                <td className="px-3 py-2 font-mono text-xs">{row.messageId ?? "—"}</td>
                <td className="px-3 py-2 tabular-nums">{row.errorCode ?? "—"}</td>
                <td className="px-3 py-2">{row.explanation ?? "—"}</td>
                <td className="px-3 py-2">{row.nextStep ?? "—"}</td>
                {showDelivery ? (
                  <td className="px-3 py-2">
                    {row.deliveryStatusLabel ?? "—"}
                    {row.deliveryExplanation ? <span className="block text-xs text-slate-600">{row.deliveryExplanation}</span> : null}
                  </td>
                ) : null}
              </tr>
            ))}
            {data && data.rows.length === 0 ? (
              <tr>
                <td colSpan={showDelivery ? 8 : 7} className="px-3 py-4 text-center text-slate-600">
                  No recipient matches this filter.
                </td>
              </tr>
            ) : null}
            {!data && results.isPending ? (
              <tr>
                <td colSpan={7} className="px-3 py-4 text-center text-slate-600">
                  Loading…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      {data ? (
        <nav aria-label="Result pages" className="flex items-center justify-between text-sm">
          <span aria-live="polite">
            {formatCount(data.total)} {data.total === 1 ? "recipient" : "recipients"} · page {data.page} of {pages}
          </span>
          <span className="flex gap-2">
            <Button size="sm" variant="secondary" disabled={params.page <= 1} onClick={() => setParams({ ...params, page: params.page - 1 })}>
              Previous page
            </Button>
            <Button size="sm" variant="secondary" disabled={params.page >= pages} onClick={() => setParams({ ...params, page: params.page + 1 })}>
              Next page
            </Button>
          </span>
        </nav>
      ) : null}
    </section>
  );
}
