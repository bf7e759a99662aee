import type { AppDatabase } from "@/lib/db";
import { findUserByEmail, type UserRow } from "@/lib/db/queries/users";
import { decoyPasswordHash, verifyPassword } from "./password";
import { clearSignInFailures, reserveSignInAttempt, SIGN_IN_THROTTLE, type SignInThrottlePolicy, UNKNOWN_ACCOUNT } from "./sign-in-throttle";

export type SignInAttempt = { email: string; password: string; address: string };

export type SignInOutcome =
  | { ok: true; user: UserRow; failuresCleared: number }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number }
  /** accountLimitReached: the account whose hourly ceiling this failure reached (audit it once). */
  | { ok: false; reason: "wrong"; accountLimitReached: UserRow | null };

type Dependencies = {
  verify?: (hash: string, password: string) => Promise<boolean>;
  decoyHash?: () => Promise<string>;
  now?: () => number;
  policy?: SignInThrottlePolicy;
};

/**
 * One sign-in attempt: reserve it in the throttle, then verify the password, then clear the
 * counters on success. A wrong e-mail, a wrong password and a disabled account look the same to the
 * caller, and take the same time (the decoy hash, lib/auth/password.ts).
 */
export async function attemptSignIn(db: AppDatabase, attempt: SignInAttempt, deps: Dependencies = {}): Promise<SignInOutcome> {
  const user = findUserByEmail(db, attempt.email);
  const key = { address: attempt.address, accountKey: user?.email ?? UNKNOWN_ACCOUNT };
  const verdict = reserveSignInAttempt(db, key, { now: (deps.now ?? Date.now)(), policy: deps.policy ?? SIGN_IN_THROTTLE });
  if (!verdict.ok) return { ok: false, reason: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };

  const verify = deps.verify ?? verifyPassword;
  const hash = user?.passwordHash ?? (await (deps.decoyHash ?? decoyPasswordHash)());
  const valid = await verify(hash, attempt.password);
  if (user && valid && !user.disabledAt) {
    return { ok: true, user, failuresCleared: clearSignInFailures(db, key) };
  }
  return { ok: false, reason: "wrong", accountLimitReached: user && verdict.accountLimitReached ? user : null };
}
