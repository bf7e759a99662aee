import type { Metadata } from "next";
import { EndOtherSessions } from "@/components/account/EndOtherSessions";
import { requirePageUser, sessionClock } from "@/lib/auth/current";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { countActiveSessions, SESSION_TTL_MS } from "@/lib/auth/sessions";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { plural } from "@/lib/format/units";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requirePageUser("viewer", "/account");
  const active = countActiveSessions(getAppDb(), user.id, sessionClock());
  const idleMinutes = getConfig().sessionIdleMs / 60_000;
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Your account</h1>
      <dl className="mb-8 grid max-w-xl grid-cols-[8rem_1fr] gap-y-2 text-sm">
        <dt className="font-medium text-slate-600">Name</dt>
        <dd>{user.name}</dd>
        <dt className="font-medium text-slate-600">E-mail</dt>
        <dd>{user.email}</dd>
        <dt className="font-medium text-slate-600">Role</dt>
        <dd>{ROLE_LABELS[user.role]}</dd>
      </dl>
      <section aria-labelledby="sessions-heading" className="max-w-xl space-y-3">
        <h2 id="sessions-heading" className="text-lg font-semibold">Sessions</h2>
        <p className="text-sm text-slate-700" data-testid="session-count">
          You are signed in on {plural(active, "browser or device", "browsers or devices")}, this one included.
        </p>
        <p className="text-sm text-slate-600">
          A session ends after {plural(idleMinutes, "minute")} without use, and after {plural(SESSION_TTL_MS / 3_600_000, "hour")} in any case.
        </p>
        <EndOtherSessions others={Math.max(0, active - 1)} />
      </section>
    </>
  );
}
