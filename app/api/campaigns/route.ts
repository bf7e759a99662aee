import { listCampaignsPage, CampaignListQuerySchema } from "@/lib/campaign/history";
import { launchCampaign, StartCampaignSchema } from "@/lib/campaign/start";
import { defineRoute } from "@/lib/server/guard";

export const GET = defineRoute({ name: "listCampaigns", role: "viewer", input: CampaignListQuerySchema }, async (query) => ({
  ok: true,
  ...listCampaignsPage(query),
}));

/** The composer's JSON API: the same validation and send path as the Preview/Send buttons. */
export const POST = defineRoute(
  { name: "startCampaign", role: "sender", input: StartCampaignSchema, rateLimit: (input) => (input.test ? "testPreview" : "send") },
  (input, ctx) => launchCampaign(input, ctx),
);
