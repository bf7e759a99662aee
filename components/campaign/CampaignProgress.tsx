import { ProgressBar } from "@/components/ui/ProgressBar";
import type { CampaignSummary } from "@/lib/campaign/types";
import { formatCount, plural } from "@/lib/format/units";

/** Batches answered so far, whatever the answer: the bar measures how far sending got, not success. */
export function processedBatches(batches: CampaignSummary["batches"]): number {
  return batches.done + batches.failed + batches.unknown + batches.reconciled;
}

export function CampaignProgress({ summary, live }: { summary: CampaignSummary; live: boolean }) {
  const { batches, recipients } = summary;
  const processed = processedBatches(batches);
  const finished = !live && processed === batches.total;
  const tone = !finished ? "brand" : batches.failed + batches.unknown > 0 ? "danger" : "ok";
  return (
    <div className="space-y-1">
      <ProgressBar value={processed} max={batches.total} label="Batches sent" tone={tone} />
      <p data-testid="campaign-progress" aria-live="polite" className="text-sm text-slate-700">
        {processed} of {plural(batches.total, "batch", "batches")} done
        {live ? (summary.status === "paused" ? " (paused; batches on their way finish…)" : " (sending…)") : ""} · {formatCount(recipients.queued)} {summary.test ? "accepted" : "queued"} ·{" "}
        {formatCount(recipients.unsent)} unsent{live ? " so far" : ""}
      </p>
    </div>
  );
}
