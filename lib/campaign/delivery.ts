import { PENDING_DELIVERY_STATUSES, type RecipientUpdate } from "@/lib/db/queries/campaigns";
import type { DeliveryReport } from "@/lib/serwersms/types";

/**
 * How one delivery report from the gateway lands on a recipient: the one mapping for the polling
 * refresh (messages/reports, CampaignService.refreshDelivery) and for pushed reports (lib/push).
 */
export function deliveryUpdate(
  report: { status: DeliveryReport["status"] | string; reason: string | null; deliveredAt: string | null },
  position: number,
  checkedAt: number,
): RecipientUpdate {
  return {
    position,
    deliveryStatus: report.status,
    deliveryReason: report.reason,
    deliveredAt: report.deliveredAt,
    deliveryCheckedAt: checkedAt,
  };
}

const PENDING_RANK: Record<(typeof PENDING_DELIVERY_STATUSES)[number], number> = { saved: 0, pending: 1, in_progress: 1, sent: 2 };

/**
 * How far along a delivery status is: none < saved < queued < sent < final. A status we do not know
 * counts as final, as it does for polling (it is not in PENDING_DELIVERY_STATUSES). Pushes may arrive
 * out of order; a late "sent" must not undo a "delivered".
 */
export function deliveryProgress(status: string | null): number {
  if (status === null) return -1;
  return (PENDING_RANK as Record<string, number | undefined>)[status] ?? 3;
}

export function isFinalDelivery(status: string | null): boolean {
  return deliveryProgress(status) === 3;
}
