import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { servedOverHttps } from "@/lib/http/transport";
import { hasRole, type Role, type SessionUser } from "./roles";
import { createSession, deleteOtherSessions, deleteSession, findSessionUser, SESSION_COOKIE, type SessionClock } from "./sessions";

/** Now, and the idle timeout every session check uses (SESSION_IDLE_MINUTES). */
export function sessionClock(): SessionClock {
  return { now: Date.now(), idleMs: getConfig().sessionIdleMs };
}

/** The signed-in user of this request, or null. Cached per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return findSessionUser(getAppDb(), token, sessionClock());
});

/** For pages: sends signed-out visitors to sign-in and under-privileged users to the access page. */
export async function requirePageUser(role: Role = "viewer", returnTo?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/signin?next=${encodeURIComponent(returnTo)}` : "/signin");
  if (!hasRole(user.role, role)) redirect(`/denied?need=${role}`);
  return user;
}

export async function startSession(userId: number): Promise<void> {
  const { token, expiresAt } = createSession(getAppDb(), userId, sessionClock());
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    // Secure whenever the app is served over https (PUBLIC_URL, or a trusted proxy's X-Forwarded-Proto).
    secure: servedOverHttps(getConfig().http, await headers()),
    path: "/",
    expires: new Date(expiresAt),
  });
}

export async function endSession(): Promise<void> {
  const jar = await cookies();
  deleteSession(getAppDb(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
}

/** Ends every other session of the signed-in user, keeping this one; returns how many ended. */
export async function endOtherSessions(user: SessionUser): Promise<number> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  // No cookie means no current session to keep: the guard would not have let the call through.
  if (!token) return 0;
  return deleteOtherSessions(getAppDb(), user.id, token);
}
