import { listCampaignsPage, CampaignListQuerySchema } from "@/lib/campaign/history";
import { defineRoute } from "@/lib/server/guard";

export const GET = defineRoute({ name: "listCampaigns", role: "viewer", input: CampaignListQuerySchema }, async (query) => ({
  ok: true,
  ...listCampaignsPage(query),
}));
