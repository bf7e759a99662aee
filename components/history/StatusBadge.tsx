import type { CampaignStatus } from "@/lib/campaign/types";

const STYLES: Record<CampaignStatus | "test", { label: string; className: string }> = {
  sending: { label: "Sending", className: "bg-brand-light text-brand-dark" },
  completed: { label: "Sent", className: "bg-ok-light text-ok" },
  partial: { label: "Needs attention", className: "bg-warn-light text-warn" },
  failed: { label: "Failed", className: "bg-danger-light text-danger" },
  interrupted: { label: "Interrupted", className: "bg-warn-light text-warn" },
  scheduled: { label: "Scheduled", className: "bg-sky-100 text-sky-800" },
  cancelled: { label: "Cancelled", className: "bg-slate-200 text-slate-700" },
  test: { label: "Test preview", className: "bg-violet-100 text-violet-800" },
};

/** The campaign's state in words; a test preview is always labelled as such. */
export function CampaignStatusBadge({ status, test }: { status: CampaignStatus; test: boolean }) {
  const style = test && status === "completed" ? STYLES.test : STYLES[status];
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${style.className}`}>
      {test && status !== "completed" ? `Test · ${style.label}` : style.label}
    </span>
  );
}
