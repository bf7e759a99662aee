"use server";

import { eq } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit/log";
import { endSession, getCurrentUser, startSession } from "@/lib/auth/current";
import { decoyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { SignInSchema } from "@/lib/auth/schemas";
import { getAppDb, users } from "@/lib/db";
import { RATE_LIMITS, rateLimiter } from "@/lib/server/rate-limit";
import { type ActionResult, failure, fieldErrorsFromIssues } from "@/lib/server/result";

/** Sign-in is the one action without a session check: it is how a session starts. */
export async function signIn(_previous: ActionResult, formData: FormData): Promise<ActionResult> {
  const parsed = SignInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) return failure("invalid", "Check the highlighted fields.", fieldErrorsFromIssues(parsed.error.issues));
  const { email, password, next } = parsed.data;

  const ip = (await headers()).get("x-forwarded-for")?.split(",")[0]?.trim() ?? "local";
  const limiterKey = `signin:${email}:${ip}`;
  const verdict = rateLimiter.peek(limiterKey, RATE_LIMITS.signInFailures);
  if (!verdict.ok) {
    return failure("rate_limited", `Too many sign-in attempts. Try again in ${verdict.retryAfterSeconds} s.`);
  }

  const user = getAppDb().select().from(users).where(eq(users.email, email)).get();
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !valid || user.disabledAt) {
    rateLimiter.record(limiterKey);
    audit({ id: user?.id ?? null, email }, "sign_in_failed", null, { reason: !user ? "unknown_email" : user.disabledAt ? "disabled" : "wrong_password" });
    return failure("unauthorized", "Wrong e-mail or password.");
  }
  await startSession(user.id);
  audit(user, "sign_in");
  redirect(next);
}

export async function signOut(): Promise<void> {
  const user = await getCurrentUser();
  await endSession();
  if (user) audit(user, "sign_out");
  redirect("/signin");
}
