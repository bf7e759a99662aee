import { getConfig } from "@/lib/config/env";
import { getEmbeddedSandbox } from "@/lib/sandbox/embedded";
import { embeddedSandboxOptions } from "@/lib/server/embedded-sandbox";

// The embedded SerwerSMS sandbox gateway: every call is live state, never cached or prerendered.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type RouteContext = { params: Promise<{ action: string[] }> };

async function delegate(request: Request, { params }: RouteContext): Promise<Response> {
  // With live credentials the sandbox stays off unless SANDBOX_ENABLED=1 asks for it.
  const config = getConfig();
  if (!config.sandbox.enabled) return new Response("Not found", { status: 404 });
  const { action } = await params;
  return getEmbeddedSandbox(() => embeddedSandboxOptions(config)).handle(request, action.join("/"));
}

export const POST = delegate;
// The gateway is POST-only; GET is routed too so it gets the gateway's own error envelope instead of a 405.
export const GET = delegate;
