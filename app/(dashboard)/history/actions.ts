"use server";

import { CampaignRefSchema, cancelNotDone, operateOnCampaign } from "@/lib/campaign/manage";
import { defineAction } from "@/lib/server/guard";

/** Re-sends only batches the gateway clearly refused (nothing of them was sent). */
export const retryFailedBatches = defineAction(
  { name: "retryFailedBatches", role: "sender", input: CampaignRefSchema, rateLimit: "send" },
  ({ campaignId }, ctx) => operateOnCampaign(campaignId, ctx, async (s) => (await s.retryFailed(campaignId), null), "retry_batch"),
);

/** Stops a sending campaign between batches; batches in flight finish and are recorded. */
export const pauseCampaign = defineAction(
  { name: "pauseCampaign", role: "sender", input: CampaignRefSchema },
  ({ campaignId }, ctx) => operateOnCampaign(campaignId, ctx, async (s) => (await s.pause(campaignId, { id: ctx.user.id, email: ctx.user.email }), null), "pause"),
);

/** Goes on with a paused campaign, failed (refused) batches included. */
export const resumeCampaign = defineAction(
  { name: "resumeCampaign", role: "sender", input: CampaignRefSchema, rateLimit: "send" },
  ({ campaignId }, ctx) => operateOnCampaign(campaignId, ctx, async (s) => (await s.resume(campaignId), null), "resume"),
);

/** Asks the gateway what happened to batches with an unknown outcome. Read-only at the gateway. */
export const reconcileCampaign = defineAction(
  { name: "reconcileCampaign", role: "sender", input: CampaignRefSchema },
  ({ campaignId }, ctx) => operateOnCampaign(campaignId, ctx, (s) => s.reconcile(campaignId), "reconcile"),
);

/** Cancels a sending, paused or scheduled campaign; only what the gateway confirms counts (lib/campaign/cancel.ts). */
export const cancelCampaign = defineAction(
  { name: "cancelCampaign", role: "sender", input: CampaignRefSchema },
  ({ campaignId }, ctx) => operateOnCampaign(campaignId, ctx, (s) => s.cancel(campaignId), "cancel", cancelNotDone),
);

/**
 * Delivery statuses from messages/reports; viewers may refresh what they can see. `unreadable`
 * counts reports of the gateway's answer that could not be read (those messages stay pending).
 */
export const refreshDeliveryStatuses = defineAction(
  { name: "refreshDeliveryStatuses", role: "viewer", input: CampaignRefSchema },
  async ({ campaignId }, ctx) => {
    let unreadable = 0;
    const result = await operateOnCampaign(campaignId, ctx, async (s) => ({ unreadable } = await s.refreshDelivery(campaignId)));
    return result.ok ? { ...result, unreadable } : result;
  },
);
