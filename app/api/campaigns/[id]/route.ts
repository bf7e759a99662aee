import { z } from "zod";
import { campaignSummary } from "@/lib/campaign/manage";
import { defineRoute } from "@/lib/server/guard";
import { failure } from "@/lib/server/result";

export const GET = defineRoute<z.ZodObject, { id: string }>(
  { name: "campaignSummary", role: "viewer", input: z.object({}) },
  async (_input, { params }) => {
    const summary = z.uuid().safeParse(params.id).success ? campaignSummary(params.id) : null;
    return summary ? { ok: true, summary } : failure("not_found", "That campaign does not exist.");
  },
);
