"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit/log";
import { endSession, getCurrentUser, startSession } from "@/lib/auth/current";
import { SignInSchema } from "@/lib/auth/schemas";
import { attemptSignIn, type SignInOutcome } from "@/lib/auth/sign-in";
import { SIGN_IN_THROTTLE } from "@/lib/auth/sign-in-throttle";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { clientAddress } from "@/lib/server/client-address";
import { toFailure } from "@/lib/server/guard";
import { type ActionResult, failure, fieldErrorsFromIssues } from "@/lib/server/result";

/**
 * Sign-in is the one action without a session check: it is how a session starts. Failed attempts
 * are not audited one by one (issue 11 item 7): the throttle's rows are their aggregated record,
 * shown on the admin audit page. The audit log gets the bounded events: each sign-in, and an
 * account reaching its hourly ceiling (at most once per throttle window).
 */
export async function signIn(_previous: ActionResult, formData: FormData): Promise<ActionResult> {
  const parsed = SignInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    next: formData.get("next"),
  });
  if (!parsed.success) return failure("invalid", "Check the highlighted fields.", fieldErrorsFromIssues(parsed.error.issues));
  const { email, password, next } = parsed.data;

  const address = clientAddress(await headers(), getConfig().http.trustProxyHops);
  let outcome: SignInOutcome;
  try {
    outcome = await attemptSignIn(getAppDb(), { email, password, address });
  } catch (error) {
    return toFailure(error, "signIn");
  }
  if (!outcome.ok) {
    if (outcome.reason === "throttled") {
      return { ...failure("rate_limited", `Too many sign-in attempts. Try again in ${outcome.retryAfterSeconds} s.`), retryAfterSeconds: outcome.retryAfterSeconds };
    }
    if (outcome.accountLimitReached) {
      audit(outcome.accountLimitReached, "sign_in_throttled", null, {
        address,
        attempts: SIGN_IN_THROTTLE.accountLimit,
        minutes: (SIGN_IN_THROTTLE.accountWindows * SIGN_IN_THROTTLE.windowMs) / 60_000,
      });
    }
    return failure("unauthorized", "Wrong e-mail or password.");
  }
  await startSession(outcome.user.id);
  audit(outcome.user, "sign_in", null, { address, ...(outcome.failuresCleared > 0 ? { failedBefore: outcome.failuresCleared } : {}) });
  redirect(next);
}

export async function signOut(): Promise<void> {
  const user = await getCurrentUser();
  await endSession();
  if (user) audit(user, "sign_out");
  redirect("/signin");
}
