import { and, count, desc, eq, gte, max, min, sql, sum } from "drizzle-orm";
import { type AppDatabase, signInFailures } from "@/lib/db";

/**
 * Sign-in throttling (issue 11 item 4), kept in the `sign_in_failures` table (lib/db/app-schema.ts):
 * it survives restarts, can be shared by several app processes on one database file, and its rows
 * are the aggregated record of failed sign-ins the admin audit page shows (item 7).
 *
 * An attempt is reserved, that is checked against every limit and counted, in one IMMEDIATE
 * transaction *before* its password is verified, so parallel attempts cannot all pass a check made
 * before any of them was recorded. A successful sign-in then clears its account+address counters.
 */
export type SignInThrottlePolicy = {
  /** Rows and the per-address limit use fixed windows of this length (aligned to the epoch). */
  windowMs: number;
  /** Attempts per window from one address, all e-mails together. */
  addressLimit: number;
  /** Attempts at one account from one address before delays start. */
  freeAttempts: number;
  /** After `freeAttempts`, the nth attempt waits 2^(n - freeAttempts) s after the previous one, at most this long. */
  maxDelayMs: number;
  /** How far back attempts at an account from an address count towards its delay. */
  delayMemoryMs: number;
  /** Attempts at one account from all addresses within `accountWindows` windows. */
  accountLimit: number;
  accountWindows: number;
  /** The table never holds more rows: the oldest go first. */
  maxRows: number;
};

/**
 * The policy, documented in the README (Security). The delay grows per account *and address*, so an
 * attacker at one address is slowed to about 100 guesses a day without locking the owner out from
 * elsewhere; only many addresses together can reach the account's hourly ceiling.
 */
export const SIGN_IN_THROTTLE: SignInThrottlePolicy = {
  windowMs: 15 * 60_000,
  addressLimit: 30,
  freeAttempts: 3,
  maxDelayMs: 15 * 60_000,
  delayMemoryMs: 24 * 60 * 60_000,
  accountLimit: 100,
  accountWindows: 4,
  maxRows: 50_000,
};

/** The account key of every e-mail that is not an account: rotating e-mails grows nothing. */
export const UNKNOWN_ACCOUNT = "*";

/** Whose attempt: the client address (lib/server/client-address.ts) and the account's e-mail or "*". */
export type ThrottleKey = { address: string; accountKey: string };

export type ThrottleLimit = "address" | "delay" | "account";

export type ThrottleVerdict =
  /** accountLimitReached: this attempt took the account's last attempt of the hour (worth one audit line). */
  | { ok: true; accountLimitReached: boolean }
  | { ok: false; limit: ThrottleLimit; retryAfterSeconds: number };

const windowOf = (t: number, windowMs: number) => Math.floor(t / windowMs) * windowMs;

/** Checks every limit and, when none refuses, counts the attempt: atomically, before any password check. */
export function reserveSignInAttempt(
  db: AppDatabase,
  key: ThrottleKey,
  options: { now?: number; policy?: SignInThrottlePolicy } = {},
): ThrottleVerdict {
  const policy = options.policy ?? SIGN_IN_THROTTLE;
  const now = options.now ?? Date.now();
  const current = windowOf(now, policy.windowMs);
  // IMMEDIATE takes the write lock before the first read: another process cannot read the same
  // counts in between (within this process better-sqlite3 is synchronous anyway).
  return db.transaction(
    (tx) => {
      const waits: { limit: ThrottleLimit; ms: number }[] = [];

      const fromAddress = tx
        .select({ n: sum(signInFailures.attempts).mapWith(Number) })
        .from(signInFailures)
        .where(and(eq(signInFailures.address, key.address), eq(signInFailures.windowStart, current)))
        .get()?.n ?? 0;
      if (fromAddress >= policy.addressLimit) waits.push({ limit: "address", ms: current + policy.windowMs - now });

      const pair = tx
        .select({ n: sum(signInFailures.attempts).mapWith(Number), lastAt: max(signInFailures.lastAt), newest: max(signInFailures.windowStart) })
        .from(signInFailures)
        .where(and(eq(signInFailures.address, key.address), eq(signInFailures.accountKey, key.accountKey), gte(signInFailures.windowStart, now - policy.delayMemoryMs)))
        .get();
      const n = pair?.n ?? 0;
      if (n >= policy.freeAttempts && pair?.lastAt != null) {
        const delay = Math.min(policy.maxDelayMs, 1000 * 2 ** (n - policy.freeAttempts));
        if (pair.lastAt + delay > now) waits.push({ limit: "delay", ms: pair.lastAt + delay - now });
      }

      let accountTotal = 0;
      if (key.accountKey !== UNKNOWN_ACCOUNT) {
        const oldest = current - (policy.accountWindows - 1) * policy.windowMs;
        const windows = tx
          .select({ windowStart: signInFailures.windowStart, n: sum(signInFailures.attempts).mapWith(Number) })
          .from(signInFailures)
          .where(and(eq(signInFailures.accountKey, key.accountKey), gte(signInFailures.windowStart, oldest)))
          .groupBy(signInFailures.windowStart)
          .all();
        accountTotal = windows.reduce((total, w) => total + w.n, 0);
        if (accountTotal >= policy.accountLimit) {
          // The first window boundary after which the windows still inside the span hold fewer than the limit.
          for (let k = 1; k <= policy.accountWindows; k++) {
            const keptFrom = oldest + k * policy.windowMs;
            if (windows.filter((w) => w.windowStart >= keptFrom).reduce((total, w) => total + w.n, 0) < policy.accountLimit) {
              waits.push({ limit: "account", ms: current + k * policy.windowMs - now });
              break;
            }
          }
        }
      }

      if (waits.length > 0) {
        const longest = waits.reduce((a, b) => (b.ms > a.ms ? b : a));
        return { ok: false, limit: longest.limit, retryAfterSeconds: Math.max(1, Math.ceil(longest.ms / 1000)) };
      }

      tx.insert(signInFailures)
        .values({ address: key.address, accountKey: key.accountKey, windowStart: current, attempts: 1, firstAt: now, lastAt: now })
        .onConflictDoUpdate({
          target: [signInFailures.address, signInFailures.accountKey, signInFailures.windowStart],
          set: { attempts: sql`${signInFailures.attempts} + 1`, lastAt: now },
        })
        .run();
      // Only a new row can take the table over its cap; the oldest rows (finished windows, as a rule) go.
      if (pair?.newest !== current) {
        const rows = tx.select({ n: count() }).from(signInFailures).get()?.n ?? 0;
        if (rows > policy.maxRows) {
          tx.run(sql`DELETE FROM sign_in_failures WHERE rowid IN (SELECT rowid FROM sign_in_failures ORDER BY last_at LIMIT ${rows - policy.maxRows})`);
        }
      }
      return { ok: true, accountLimitReached: key.accountKey !== UNKNOWN_ACCOUNT && accountTotal + 1 === policy.accountLimit };
    },
    { behavior: "immediate" },
  );
}

/**
 * After a right password: forgets that account's attempts from that address (the owner is not slowed
 * by their own typos). Returns how many failures preceded the success (its own reservation excluded),
 * so the sign-in's audit line can keep that number.
 */
export function clearSignInFailures(db: AppDatabase, key: ThrottleKey): number {
  const deleted = db
    .delete(signInFailures)
    .where(and(eq(signInFailures.address, key.address), eq(signInFailures.accountKey, key.accountKey)))
    .returning({ attempts: signInFailures.attempts })
    .all();
  return Math.max(0, deleted.reduce((total, row) => total + row.attempts, 0) - 1);
}

export type SignInFailureGroup = { address: string; accountKey: string; attempts: number; firstAt: number; lastAt: number };

/** Failed sign-ins per account and address, most recent first (the admin audit page). */
export function listSignInFailures(
  db: AppDatabase,
  query: { account?: string; limit: number; offset: number },
): { groups: SignInFailureGroup[]; total: number } {
  const condition = query.account
    ? sql`${signInFailures.accountKey} LIKE ${`%${query.account.replace(/[%_\\]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'`
    : undefined;
  const lastAt = max(signInFailures.lastAt).mapWith(Number);
  const groups = db
    .select({
      address: signInFailures.address,
      accountKey: signInFailures.accountKey,
      attempts: sum(signInFailures.attempts).mapWith(Number),
      firstAt: min(signInFailures.firstAt).mapWith(Number),
      lastAt,
    })
    .from(signInFailures)
    .where(condition)
    .groupBy(signInFailures.address, signInFailures.accountKey)
    .orderBy(desc(lastAt))
    .limit(query.limit)
    .offset(query.offset)
    .all();
  const distinct = db
    .select({ address: signInFailures.address })
    .from(signInFailures)
    .where(condition)
    .groupBy(signInFailures.address, signInFailures.accountKey)
    .as("distinct_groups");
  const total = db.select({ n: count() }).from(distinct).get()?.n ?? 0;
  return { groups, total };
}
