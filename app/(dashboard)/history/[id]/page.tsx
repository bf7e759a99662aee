import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { CampaignResults } from "@/components/campaign/CampaignResults";
import { requirePageUser } from "@/lib/auth/current";
import { campaignSummary } from "@/lib/campaign/manage";
import { getConfig } from "@/lib/config/env";
import { mediaNamesById } from "@/lib/media/names";

export const metadata: Metadata = { title: "Campaign" };

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageUser("viewer", `/history/${id}`);
  const summary = z.uuid().safeParse(id).success ? campaignSummary(id) : null;
  if (!summary) notFound();
  const names = await mediaNamesById();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/history" className="text-brand underline">
          History
        </Link>{" "}
        / <span aria-current="page">{summary.title}</span>
      </nav>
      <h1 className="mb-1 text-2xl font-bold">{summary.title}</h1>
      <p className="mb-4 text-sm text-slate-600">
        Files: {summary.fileIds.map((fileId) => names.get(fileId) ?? `${fileId} (no longer in the library)`).join(", ")}
        {summary.text ? <> · with a text attachment</> : null}
      </p>
      {/* The page only reads the database: the server sends, checks and refreshes delivery statuses itself. */}
      <CampaignResults
        campaignId={summary.id}
        initialSummary={summary}
        heading="Results and delivery"
        serverPollsDelivery={getConfig().push.polling}
      />
    </>
  );
}
