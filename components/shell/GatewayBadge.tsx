import type { GatewayConfig } from "@/lib/config/env";

/** States plainly where sends go: the embedded sandbox, or the live SerwerSMS account. */
export function GatewayBadge({ mode, accountLabel }: Pick<GatewayConfig, "mode" | "accountLabel">) {
  if (mode === "sandbox") {
    return (
      <span
        data-testid="gateway-mode"
        title="Messages go to the embedded sandbox gateway; nothing reaches real phones."
        className="inline-flex items-center gap-1.5 rounded-full bg-sandbox-light px-3 py-1 text-sm font-semibold text-sandbox"
      >
        <span aria-hidden className="h-2 w-2 rounded-full bg-sandbox" />
        Sandbox
      </span>
    );
  }
  return (
    <span
      data-testid="gateway-mode"
      title="Messages go to real phones through SerwerSMS.pl."
      className="inline-flex items-center gap-1.5 rounded-full bg-ok-light px-3 py-1 text-sm font-semibold text-ok"
    >
      <span aria-hidden className="h-2 w-2 rounded-full bg-ok" />
      SerwerSMS live · {accountLabel}
    </span>
  );
}
