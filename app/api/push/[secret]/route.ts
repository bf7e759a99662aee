import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { PUSH_BODY_LIMIT_BYTES, PushInputSchema } from "@/lib/push/params";
import { receivePush } from "@/lib/push/receive";
import { pushSecretMatches } from "@/lib/push/secret";
import { definePublicRoute } from "@/lib/server/guard";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Delivery reports and replies pushed by the SerwerSMS panel (issue 12 item 5). Public by design:
 * the gateway cannot sign in, so the secret in the path (SERWERSMS_PUSH_SECRET) is the gate; unset,
 * every request gets 404. Answers plain `OK`, as the vendor's push expects (reference §9.3), also for
 * ids we never sent and for repeats, which change nothing.
 */
const receive = definePublicRoute(
  {
    name: "push",
    gate: ({ secret }: { secret: string }) => pushSecretMatches(secret, getConfig().push.secret),
    bodyLimitBytes: PUSH_BODY_LIMIT_BYTES,
    input: PushInputSchema,
  },
  async (push) => {
    receivePush(getAppDb(), push);
    return new Response("OK", { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  },
);

export const GET = receive;
export const POST = receive;
