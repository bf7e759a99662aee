"use server";

import { launchCampaign, StartCampaignSchema } from "@/lib/campaign/start";
import { defineAction } from "@/lib/server/guard";
import { failure } from "@/lib/server/result";

/** "Preview (test mode)": send_mms with test=true; the gateway answers per recipient and sends nothing. */
export const previewCampaign = defineAction(
  { name: "previewCampaign", role: "sender", input: StartCampaignSchema, rateLimit: "testPreview" },
  async (input, ctx) => {
    if (!input.test) return failure("invalid", "A preview must be a test send.");
    return launchCampaign(input, ctx);
  },
);

/** "Send" / "Schedule": the real thing, after the user confirmed the recipient count. */
export const sendCampaign = defineAction(
  { name: "sendCampaign", role: "sender", input: StartCampaignSchema, rateLimit: "send" },
  async (input, ctx) => {
    if (input.test) return failure("invalid", "Use the preview button for a test send.");
    return launchCampaign(input, ctx);
  },
);
