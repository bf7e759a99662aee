import type { CampaignSummary } from "@/lib/campaign/types";

/** Batches the gateway refused or did not clearly answer, with its message. */
export function CampaignProblems({ summary }: { summary: CampaignSummary }) {
  if (summary.problems.length === 0) return null;
  return (
    <section aria-labelledby={`campaign-problems-${summary.id}`} className="rounded-md border border-danger/30 bg-danger-light p-3">
      <h3 id={`campaign-problems-${summary.id}`} className="text-sm font-semibold text-danger">
        Problems ({summary.problems.length})
      </h3>
      <ul className="mt-1 space-y-1 text-sm">
        {summary.problems.map((problem) => (
          <li key={problem.seq}>
            <strong>Batch {problem.seq + 1}</strong>{" "}
            {problem.status === "failed" ? "failed: nothing of it was sent" : "has an unknown outcome: it may have been sent"}
            {problem.message ? ` — ${problem.message}` : ""}
            {problem.code !== null ? ` (code ${problem.code})` : ""}
            {problem.attempts > 1 ? `, after ${problem.attempts} attempts` : ""}.
          </li>
        ))}
      </ul>
      <p className="mt-2 text-sm text-slate-700">
        {summary.problems.some((p) => p.status === "unknown")
          ? "Unknown batches are never resent automatically: use “Check with gateway” to find out what happened. "
          : ""}
        {summary.problems.some((p) => p.status === "failed") ? "Failed batches can be retried; nothing of them reached anyone." : ""}
      </p>
    </section>
  );
}
