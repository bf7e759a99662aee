import type { CampaignSummary } from "@/lib/campaign/types";
import { formatWarsawTime } from "@/lib/format/units";

/**
 * Where delivery statuses come from while some are pending. The server asks the gateway on its own
 * schedule (campaigns.delivery_next_check_at, later each time) or, with DELIVERY_POLLING=0, the
 * gateway pushes them; this page only reads what the server stored. "Refresh delivery statuses"
 * (CampaignActions) stays for a person who wants the answer now. Gone once every status is final.
 */
export function DeliveryCheckNotice({ summary, serverPolls }: { summary: CampaignSummary; serverPolls: boolean }) {
  if (!summary.actions.refresh) return null;
  const next = summary.nextDeliveryCheckAt;
  return (
    // The test id predates the server's schedule (it named the browser-driven refresh this replaced).
    <p role="status" aria-live="polite" data-testid="delivery-auto-refresh" className="text-sm text-slate-600">
      {serverPolls
        ? `Some delivery statuses are still pending. Delivery statuses are checked by the server${next !== null ? `; next check at ${formatWarsawTime(next)} (Warsaw)` : ""}; this page shows them as they arrive.`
        : "Some delivery statuses are still pending; the gateway pushes them as they change, and this page shows them as they arrive."}
    </p>
  );
}
