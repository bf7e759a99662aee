import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { AdminTabs } from "@/components/admin/AdminTabs";
import { SignInFailures } from "@/components/admin/SignInFailures";
import { requirePageUser } from "@/lib/auth/current";
import { listSignInFailures } from "@/lib/auth/sign-in-throttle";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { listAudit } from "@/lib/db/queries/audit";
import { formatWarsawDateTime, plural } from "@/lib/format/units";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const FAILURE_GROUPS_SHOWN = 20;
const Query = z.object({
  action: z.string().regex(/^[a-z_]{1,40}$/).optional().catch(undefined),
  actor: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

function describeDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return "";
  return Object.entries(detail)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : String(value)}`)
    .join(" · ");
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser("admin", "/admin/audit");
  const query = Query.parse(await searchParams);
  const { rows, total } = listAudit(getAppDb(), { ...query, pageSize: PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // Failed sign-ins are aggregated by the throttle, not audit rows: shown unless another action is asked for.
  const failures = !query.action || query.action.startsWith("sign_in") ? listSignInFailures(getAppDb(), { account: query.actor, limit: FAILURE_GROUPS_SHOWN, offset: 0 }) : null;
  const link = (page: number) => `/admin/audit?${new URLSearchParams({ ...(query.action ? { action: query.action } : {}), ...(query.actor ? { actor: query.actor } : {}), page: String(page) })}`;
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Admin</h1>
      <AdminTabs current="audit" />
      <form className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <div>
          <label htmlFor="audit-actor" className="block text-sm font-medium">Who</label>
          <input id="audit-actor" name="actor" defaultValue={query.actor} className="mt-1 rounded-md border border-slate-300 px-3 py-1.5" />
        </div>
        <div>
          <label htmlFor="audit-action" className="block text-sm font-medium">Action</label>
          <input id="audit-action" name="action" defaultValue={query.action} placeholder="e.g. send" className="mt-1 rounded-md border border-slate-300 px-3 py-1.5" />
        </div>
        <button type="submit" className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white">Filter</button>
      </form>
      {failures ? <SignInFailures groups={failures.groups} total={failures.total} /> : null}
      <p className="mb-2 text-sm text-slate-600">{plural(total, "entry", "entries")}, newest first. The log is append-only; entries are kept for {plural(getConfig().auditRetentionDays, "day")}, then removed.</p>
      <table className="w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-500">
            <th scope="col" className="px-2 py-2">When (Warsaw)</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-100 align-top">
              <td className="whitespace-nowrap px-2 py-1.5">{formatWarsawDateTime(row.at)}</td>
              <td>{row.actor}</td>
              <td><code>{row.action}</code></td>
              <td className="break-all">{row.target}</td>
              <td className="text-slate-600">{describeDetail(row.detail ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Audit pages" className="mt-4 flex items-center gap-3 text-sm">
        {query.page > 1 ? <Link href={link(query.page - 1)} className="text-brand underline">Previous</Link> : null}
        <span>Page {query.page} of {pages}</span>
        {query.page < pages ? <Link href={link(query.page + 1)} className="text-brand underline">Next</Link> : null}
      </nav>
    </>
  );
}
