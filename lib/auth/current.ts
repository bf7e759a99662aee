import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getAppDb } from "@/lib/db";
import { hasRole, type Role, type SessionUser } from "./roles";
import { createSession, deleteSession, findSessionUser, SESSION_COOKIE } from "./sessions";

/** The signed-in user of this request, or null. Cached per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return findSessionUser(getAppDb(), token);
});

/** For pages: sends signed-out visitors to sign-in and under-privileged users to the access page. */
export async function requirePageUser(role: Role = "viewer", returnTo?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/signin?next=${encodeURIComponent(returnTo)}` : "/signin");
  if (!hasRole(user.role, role)) redirect(`/denied?need=${role}`);
  return user;
}

async function isHttps(): Promise<boolean> {
  return (await headers()).get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

export async function startSession(userId: number): Promise<void> {
  const { token, expiresAt } = createSession(getAppDb(), userId);
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await isHttps(),
    path: "/",
    expires: new Date(expiresAt),
  });
}

export async function endSession(): Promise<void> {
  const jar = await cookies();
  deleteSession(getAppDb(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
}
