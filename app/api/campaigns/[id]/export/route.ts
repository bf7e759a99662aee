import { z } from "zod";
import { campaignCsvResponse } from "@/lib/campaign/history";
import { defineRoute } from "@/lib/server/guard";
import { failure } from "@/lib/server/result";

export const GET = defineRoute<z.ZodObject, { id: string }>(
  { name: "exportCampaign", role: "viewer", input: z.object({}) },
  async (_query, { params }) =>
    (z.uuid().safeParse(params.id).success ? campaignCsvResponse(params.id) : null) ?? failure("not_found", "That campaign does not exist."),
);
