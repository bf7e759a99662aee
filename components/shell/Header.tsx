import Link from "next/link";
import type { SessionUser } from "@/lib/auth/roles";
import type { GatewayConfig } from "@/lib/config/env";
import { GatewayBadge } from "./GatewayBadge";
import { NavLinks } from "./NavLinks";
import { SignOutButton } from "./SignOutButton";

export function Header({ user, gateway }: { user: SessionUser; gateway: Pick<GatewayConfig, "mode" | "accountLabel"> }) {
  return (
    <header className="bg-brand-dark text-white shadow">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-3">
        <Link href="/" className="text-lg font-bold tracking-tight">
          MMS Campaigns
        </Link>
        <NavLinks role={user.role} />
        <div className="ml-auto flex items-center gap-3">
          <GatewayBadge mode={gateway.mode} accountLabel={gateway.accountLabel} />
          <Link href="/account" className="rounded-md px-2 py-1 text-sm text-indigo-100 hover:bg-white/10 hover:text-white" data-testid="current-user">
            {user.name} <span className="opacity-75">({user.role})</span>
            <span className="sr-only">: your account and sessions</span>
          </Link>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
