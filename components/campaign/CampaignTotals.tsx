import type { CampaignSummary } from "@/lib/campaign/types";
import { formatCount } from "@/lib/format/units";
import { deliveryStatusLabel } from "@/lib/serwersms/delivery";

/** The per-recipient outcome in numbers; rare states appear only when they occur. */
export function CampaignTotals({ summary }: { summary: CampaignSummary }) {
  const { recipients } = summary;
  const cells: { key: string; label: string; value: number; tone?: string; always?: boolean }[] = [
    { key: "total", label: "Recipients", value: summary.recipientCount, always: true },
    { key: "queued", label: summary.test ? "Accepted (test)" : "Queued", value: recipients.queued, tone: "text-ok", always: true },
    { key: "unsent", label: "Unsent", value: recipients.unsent, tone: "text-danger", always: true },
    { key: "failed", label: "Failed", value: recipients.failed, tone: "text-danger", always: true },
    { key: "unknown", label: "Unknown", value: recipients.unknown, tone: "text-warn", always: true },
    { key: "pending", label: "Pending", value: recipients.pending },
    { key: "cancelled", label: "Cancelled", value: recipients.cancelled },
  ];
  const delivery = Object.entries(summary.delivery).filter(([, count]) => count > 0);
  return (
    <div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5">
        {cells
          .filter((cell) => cell.always || cell.value > 0)
          .map((cell) => (
            <div key={cell.key} className="rounded-md border border-slate-200 bg-white p-2 text-center">
              <dt className="text-xs text-slate-600">{cell.label}</dt>
              <dd data-testid={`campaign-total-${cell.key}`} className={`text-lg font-semibold tabular-nums ${cell.value > 0 ? (cell.tone ?? "") : ""}`}>
                {formatCount(cell.value)}
              </dd>
            </div>
          ))}
      </dl>
      {delivery.length > 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          Delivery so far: {delivery.map(([status, count]) => `${formatCount(count)} ${deliveryStatusLabel(status)}`).join(", ")}.
        </p>
      ) : null}
    </div>
  );
}
