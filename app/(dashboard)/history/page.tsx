import type { Metadata } from "next";
import Link from "next/link";
import { CAMPAIGN_STATUS } from "@/components/campaign/labels";
import { AutoRefresh } from "@/components/history/AutoRefresh";
import { ScheduledSends } from "@/components/history/ScheduledSends";
import { CampaignStatusBadge } from "@/components/history/StatusBadge";
import { EmptyState } from "@/components/ui/EmptyState";
import { requirePageUser } from "@/lib/auth/current";
import { hasRole } from "@/lib/auth/roles";
import { CampaignListQuerySchema, listCampaignsPage, upcomingScheduled } from "@/lib/campaign/history";
import { CAMPAIGN_STATUSES } from "@/lib/campaign/lifecycle";
import { formatCount, formatWarsawDateTime } from "@/lib/format/units";
import { mediaNamesById } from "@/lib/media/names";

export const metadata: Metadata = { title: "History" };

const STATUS_OPTIONS: [string, string][] = [
  ["", "All"],
  ...CAMPAIGN_STATUSES.map((status): [string, string] => [status, CAMPAIGN_STATUS[status].label]),
  ["test", "Test previews"],
];

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("viewer", "/history");
  const raw = await searchParams;
  const parsed = CampaignListQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v)));
  const query = parsed.success ? parsed.data : CampaignListQuerySchema.parse({});
  const { items, total, page, pageSize } = listCampaignsPage(query);
  const upcoming = upcomingScheduled();
  const names = await mediaNamesById();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const canCancel = hasRole(user.role, "sender");
  const pageLink = (target: number) =>
    `/history?${new URLSearchParams({ ...Object.fromEntries(Object.entries(raw).filter(([k, v]) => v && k !== "page")), page: String(target) } as Record<string, string>)}`;

  return (
    <>
      <AutoRefresh active={items.some((item) => item.status === "sending")} />
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">History</h1>
        <Link href="/history/replies" className="text-sm text-brand underline">
          Replies from recipients
        </Link>
      </div>

      <ScheduledSends
        items={upcoming.map(({ id, title, status, scheduledFor, recipientCount }) => ({ id, title, status, scheduledFor, recipientCount }))}
        canCancel={canCancel}
      />

      <section aria-labelledby="all-heading" className="mt-8">
        <h2 id="all-heading" className="text-lg font-semibold">All campaigns</h2>
        <form role="search" className="mt-2 flex flex-wrap items-end gap-3" action="/history">
          <div>
            <label htmlFor="filter-search" className="block text-sm font-medium">Title</label>
            <input id="filter-search" name="search" defaultValue={query.search} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5" />
          </div>
          <div>
            <label htmlFor="filter-status" className="block text-sm font-medium">Status</label>
            <select id="filter-status" name="status" defaultValue={query.status ?? ""} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5">
              {STATUS_OPTIONS.map(([value, label]) => (
                <option key={value} value={value}>{label}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="filter-from" className="block text-sm font-medium">From (Warsaw)</label>
            <input id="filter-from" name="from" type="date" defaultValue={raw.from} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5" />
          </div>
          <div>
            <label htmlFor="filter-to" className="block text-sm font-medium">To</label>
            <input id="filter-to" name="to" type="date" defaultValue={raw.to} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5" />
          </div>
          <button type="submit" className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white">Filter</button>
          {!parsed.success ? <p role="alert" className="text-sm text-danger">Some filters were not valid and were ignored.</p> : null}
        </form>

        {items.length === 0 ? (
          <div className="mt-4">
            <EmptyState title={total === 0 && !raw.search && !raw.status ? "No campaigns yet" : "No campaigns match these filters"}>
              {hasRole(user.role, "sender") ? <Link href="/compose" className="text-brand underline">Compose an MMS</Link> : null}
            </EmptyState>
          </div>
        ) : (
          <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <caption className="sr-only">Campaigns, newest first</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">Date (Warsaw)</th>
                  <th scope="col" className="px-3 py-2">Title</th>
                  <th scope="col" className="px-3 py-2">Files</th>
                  <th scope="col" className="px-3 py-2 text-right">Recipients</th>
                  <th scope="col" className="px-3 py-2 text-right">Queued</th>
                  <th scope="col" className="px-3 py-2 text-right">Unsent</th>
                  <th scope="col" className="px-3 py-2 text-right">Unknown</th>
                  <th scope="col" className="px-3 py-2 text-right">Failed</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2">By</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((item) => (
                  <tr key={item.id} data-testid="campaign-row">
                    <td className="whitespace-nowrap px-3 py-2">
                      {formatWarsawDateTime(item.createdAt)}
                      {item.scheduledFor ? <div className="text-xs text-slate-500">for {formatWarsawDateTime(item.scheduledFor)}</div> : null}
                    </td>
                    <td className="px-3 py-2">
                      <Link href={`/history/${item.id}`} className="font-medium text-brand underline">{item.title}</Link>
                    </td>
                    <td className="max-w-56 truncate px-3 py-2" title={item.fileIds.map((id) => names.get(id) ?? id).join(", ")}>
                      {item.fileIds.map((id) => names.get(id) ?? id).join(", ")}
                    </td>
                    <td className="px-3 py-2 text-right">{formatCount(item.recipientCount)}</td>
                    <td className="px-3 py-2 text-right">{formatCount(item.queued)}</td>
                    <td className="px-3 py-2 text-right">{formatCount(item.unsent)}</td>
                    <td className="px-3 py-2 text-right">{formatCount(item.unknown)}</td>
                    <td className="px-3 py-2 text-right">{formatCount(item.failed)}</td>
                    <td className="px-3 py-2"><CampaignStatusBadge status={item.displayStatus} test={item.test} /></td>
                    <td className="px-3 py-2">{item.createdByEmail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Campaign pages" className="mt-4 flex items-center gap-3 text-sm">
          {page > 1 ? <Link href={pageLink(page - 1)} className="text-brand underline">Previous</Link> : null}
          <span>Page {page} of {pages} · {formatCount(total)} campaigns</span>
          {page < pages ? <Link href={pageLink(page + 1)} className="text-brand underline">Next</Link> : null}
        </nav>
      </section>
    </>
  );
}
