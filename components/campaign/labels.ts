import type { CampaignStatus, CampaignSummary, RecipientFilter, RecipientStatus } from "@/lib/campaign/types";
import { unreadableCount } from "@/lib/format/units";

type Tone = "neutral" | "brand" | "ok" | "warn" | "danger";

export const TONE_CLASS: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-700",
  brand: "bg-brand-light text-brand-dark",
  ok: "bg-ok-light text-ok",
  warn: "bg-warn-light text-warn",
  danger: "bg-danger-light text-danger",
};

export const CAMPAIGN_STATUS: Record<CampaignStatus, { label: string; tone: Tone }> = {
  sending: { label: "Sending", tone: "brand" },
  completed: { label: "Completed", tone: "ok" },
  partial: { label: "Partly sent", tone: "warn" },
  failed: { label: "Failed", tone: "danger" },
  paused: { label: "Paused", tone: "warn" },
  scheduled: { label: "Scheduled", tone: "brand" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export function campaignStatusBadge(summary: Pick<CampaignSummary, "displayStatus" | "test">): { label: string; tone: Tone } {
  const status = CAMPAIGN_STATUS[summary.displayStatus];
  if (summary.test && summary.displayStatus === "completed") return { label: "Test finished", tone: "ok" };
  // A test preview must never be mistaken for a real send, whatever its state.
  return summary.test ? { label: `Test · ${status.label}`, tone: status.tone } : status;
}

export const RECIPIENT_STATUS: Record<RecipientStatus, { label: string; tone: Tone }> = {
  pending: { label: "Pending", tone: "neutral" },
  queued: { label: "Queued", tone: "ok" },
  unsent: { label: "Unsent", tone: "danger" },
  failed: { label: "Failed", tone: "danger" },
  unknown: { label: "Unknown", tone: "warn" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

/** After a delivery refresh whose answer had reports that could not be read (lib/serwersms reads them one by one). */
export function unreadableReportsNote(count: number): string {
  return `${unreadableCount(count, "delivery report")}; ${count === 1 ? "that message stays" : "those messages stay"} pending and will be checked again.`;
}

/** The results filter: every recipient status under the same label as its badge, then delivery. */
export const RECIPIENT_FILTERS: { value: RecipientFilter | "all"; label: string }[] = [
  { value: "all", label: "All recipients" },
  ...(["queued", "unsent", "failed", "unknown", "pending", "cancelled"] as const).map((status) => ({ value: status, label: RECIPIENT_STATUS[status].label })),
  { value: "delivered", label: "Delivered" },
  { value: "undelivered", label: "Undelivered" },
];
