import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/EmptyState";
import { requirePageUser } from "@/lib/auth/current";
import { getAppDb } from "@/lib/db";
import { formatCount, formatWarsawDateTime } from "@/lib/format/units";
import { listInboundReplies, ReplyListQuerySchema } from "@/lib/push/replies";

export const metadata: Metadata = { title: "Replies" };

/** Replies recipients sent back, as the gateway pushed them (they feed opt-outs in a later issue). */
export default async function RepliesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser("viewer", "/history/replies");
  const parsed = ReplyListQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : ReplyListQuerySchema.parse({});
  const { items, total, page, pageSize } = listInboundReplies(getAppDb(), query);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/history" className="text-brand underline">
          History
        </Link>{" "}
        / <span aria-current="page">Replies</span>
      </nav>
      <h1 className="text-2xl font-bold">Replies</h1>
      <p className="mt-1 text-sm text-slate-600">
        Answers recipients sent back, newest first, as the gateway pushed them. Times are Warsaw time.
      </p>
      {!parsed.success ? (
        <p role="alert" className="mt-2 text-sm text-danger">
          The page number was not valid; showing the first page.
        </p>
      ) : null}
      {items.length === 0 ? (
        <div className="mt-4">
          <EmptyState title="No replies yet">Replies appear here when the SerwerSMS panel pushes them to this dashboard (Admin → Gateway push).</EmptyState>
        </div>
      ) : (
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">Replies, newest first</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Received (Warsaw)</th>
                <th scope="col" className="px-3 py-2">Phone</th>
                <th scope="col" className="px-3 py-2">Text</th>
                <th scope="col" className="px-3 py-2">Answers campaign</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((reply) => (
                <tr key={reply.id} data-testid="reply-row">
                  <td className="whitespace-nowrap px-3 py-2">{formatWarsawDateTime(reply.receivedAt)}</td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono">{reply.phone}</td>
                  <td className="max-w-md whitespace-pre-wrap break-words px-3 py-2">{reply.text}</td>
                  <td className="px-3 py-2">
                    {reply.campaign ? (
                      <Link href={`/history/${reply.campaign.id}`} className="text-brand underline">
                        {reply.campaign.title}
                      </Link>
                    ) : (
                      <span className="text-slate-500">not known</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Reply pages" className="mt-4 flex items-center gap-3 text-sm">
        {page > 1 ? <Link href={`/history/replies?page=${page - 1}`} className="text-brand underline">Previous</Link> : null}
        <span>
          Page {page} of {pages} · {formatCount(total)} replies
        </span>
        {page < pages ? <Link href={`/history/replies?page=${page + 1}`} className="text-brand underline">Next</Link> : null}
      </nav>
    </>
  );
}
