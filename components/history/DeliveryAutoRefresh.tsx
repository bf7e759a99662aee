"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { refreshDeliveryStatuses } from "@/app/(dashboard)/history/actions";
import { unreadableReportsNote } from "@/components/campaign/labels";
import { campaignQueryKey, useCampaignSummary } from "@/components/campaign/useCampaign";

/**
 * How often delivery statuses are asked for while some are still pending. Each round is one
 * messages/reports call per 500 messages, so even large campaigns stay light on the gateway.
 */
export const DELIVERY_POLL_MS = 10_000;

/**
 * Keeps asking messages/reports while statuses are pending and the tab is visible; says so on screen.
 * With `polling` off (DELIVERY_POLLING=0, when the gateway pushes reports) it never asks the gateway:
 * it only re-reads what pushes stored, at the same pace.
 */
export function DeliveryAutoRefresh({ campaignId, polling = true }: { campaignId: string; polling?: boolean }) {
  const queryClient = useQueryClient();
  const { data: summary } = useCampaignSummary(campaignId);
  const pending = Boolean(summary?.actions.refresh);
  const [lastError, setLastError] = useState<string | null>(null);
  const [unreadable, setUnreadable] = useState(0);

  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState !== "visible") return;
      if (!polling) {
        await queryClient.invalidateQueries({ queryKey: campaignQueryKey(campaignId) });
        return;
      }
      try {
        const result = await refreshDeliveryStatuses({ campaignId });
        if (stopped) return;
        if (result.ok) {
          setLastError(null);
          setUnreadable(result.unreadable);
          queryClient.setQueryData(campaignQueryKey(campaignId), result.summary);
          await queryClient.invalidateQueries({ queryKey: [...campaignQueryKey(campaignId), "recipients"] });
        } else {
          setLastError(result.message);
        }
      } catch {
        if (!stopped) setLastError("Could not reach the server; statuses will be checked again shortly.");
      }
    };
    const timer = setInterval(() => void tick(), DELIVERY_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [pending, polling, campaignId, queryClient]);

  if (!pending && !lastError) return null;
  return (
    <p role="status" aria-live="polite" className={`text-sm ${lastError ? "text-danger" : "text-slate-600"}`} data-testid="delivery-auto-refresh">
      {lastError ??
        (polling
          ? `Some delivery statuses are still pending; they are checked again every ${DELIVERY_POLL_MS / 1000} s while this page is open.`
          : `Some delivery statuses are still pending; the gateway pushes them as they change, and this page shows them within ${DELIVERY_POLL_MS / 1000} s.`)}
      {!lastError && unreadable > 0 ? ` ${unreadableReportsNote(unreadable)}` : null}
    </p>
  );
}
