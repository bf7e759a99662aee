"use server";

import { launchCampaign, StartCampaignSchema } from "@/lib/campaign/start";
import { defineAction } from "@/lib/server/guard";

/**
 * Behind both buttons: "Preview (test mode)" (test=true: the gateway answers per recipient and sends
 * nothing) and "Send"/"Schedule" (after the user confirmed the recipient count).
 */
export const startCampaign = defineAction(
  { name: "startCampaign", role: "sender", input: StartCampaignSchema, rateLimit: (input) => (input.test ? "testPreview" : "send") },
  launchCampaign,
);
