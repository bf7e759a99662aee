import type { RecipientUpdate } from "@/lib/db/queries/campaigns";
import { FINAL_DELIVERY_STATUSES } from "@/lib/serwersms/delivery";
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

const PENDING_RANK: Record<string, number> = { saved: 0, pending: 1, in_progress: 1, sent: 2 };
/** A word the docs do not list: not final (it is asked about again, lib/serwersms/delivery.ts), but past "sent". */
const UNLISTED_RANK = 2.5;
const FINAL_RANK = 3;

/**
 * How far along a delivery status is: none < saved < queued < sent < unlisted word < final. Pushes may
 * arrive out of order; a late "sent" (or an odd word) must not undo a "delivered".
 */
export function deliveryProgress(status: string | null): number {
  if (status === null) return -1;
  if ((FINAL_DELIVERY_STATUSES as readonly string[]).includes(status)) return FINAL_RANK;
  return Object.prototype.hasOwnProperty.call(PENDING_RANK, status) ? PENDING_RANK[status]! : UNLISTED_RANK;
}

export function isFinalDelivery(status: string | null): boolean {
  return deliveryProgress(status) === FINAL_RANK;
}
