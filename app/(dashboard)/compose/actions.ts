"use server";

import { launchCampaign, StartCampaignFormSchema } from "@/lib/campaign/start";
import { defineAction } from "@/lib/server/guard";

/**
 * Behind both buttons: "Preview (test mode)" (test=true: the gateway answers per recipient and sends
 * nothing) and "Send"/"Schedule" (after the user confirmed the recipient count). The request comes as
 * FormData with the numbers as one text part (lib/compose/request-form.ts): 100 000 numbers as an
 * array argument break React's decoding of action arguments.
 */
export const startCampaign = defineAction(
  { name: "startCampaign", role: "sender", input: StartCampaignFormSchema, rateLimit: (input) => (input.test ? "testPreview" : "send") },
  launchCampaign,
);
