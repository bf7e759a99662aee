import { z } from "zod";
import { defineRoute } from "@/lib/server/guard";
import { getGatewayClient } from "@/lib/serwersms";

/** MMS credit left at the gateway, shown in the composer. */
export const GET = defineRoute({ name: "accountLimits", role: "sender", input: z.object({}) }, async () => {
  const limits = await getGatewayClient().account.limits();
  // Only a count reaches the browser: which items could not be read is in the server log (lib/serwersms).
  return { ok: true, mms: limits.mms, accountType: limits.accountType, unreadable: limits.unreadable.length };
});
