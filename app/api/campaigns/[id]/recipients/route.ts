import { z } from "zod";
import { RecipientPageQuerySchema, recipientResultsPage } from "@/lib/campaign/history";
import { defineRoute } from "@/lib/server/guard";
import { failure } from "@/lib/server/result";

export const GET = defineRoute<typeof RecipientPageQuerySchema, { id: string }>(
  { name: "campaignRecipients", role: "viewer", input: RecipientPageQuerySchema },
  async (query, { params }) => {
    const page = z.uuid().safeParse(params.id).success ? recipientResultsPage(params.id, query) : null;
    return page ? { ok: true, ...page } : failure("not_found", "That campaign does not exist.");
  },
);
