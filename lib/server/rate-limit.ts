import { and, count, countDistinct, eq, gt, lte, min, sql } from "drizzle-orm";
import { type AppDatabase, getAppDb, rateLimitHits } from "@/lib/db";

/**
 * Sliding-window limiter for signed-in users' uploads and sends. These limits only need to stop
 * accidental floods (a stuck key, a loop), but several `next start` instances may serve one data
 * folder, so the hits are counted in the app database (`rate_limit_hits`): counted per process, N
 * instances would allow N times the limit. Failed sign-ins are throttled separately
 * (lib/auth/sign-in-throttle.ts), where the caller is unauthenticated and the rules are stricter.
 */
export type RateLimitRule = { limit: number; windowMs: number };

export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * The limiter's three statements, prepared once per connection: a check runs on every guarded
 * action, and building the SQL again each time cost more than running it.
 */
function statementsFor(db: AppDatabase) {
  return {
    prune: db.delete(rateLimitHits).where(lte(rateLimitHits.expiresAt, sql.placeholder("now"))).prepare(),
    held: db
      .select({ n: count(), oldest: min(rateLimitHits.at) })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.key, sql.placeholder("key")), gt(rateLimitHits.at, sql.placeholder("since"))))
      .prepare(),
    hit: db
      .insert(rateLimitHits)
      .values({ key: sql.placeholder("key"), at: sql.placeholder("at"), expiresAt: sql.placeholder("expiresAt") })
      .prepare(),
  };
}

const prepared = new WeakMap<AppDatabase, ReturnType<typeof statementsFor>>();

/**
 * `db` defaults to this process's app database, opened on first use (not at import: the config may
 * not be readable yet). Each instance passes its own connection; the file is what they share.
 */
export function createRateLimiter(now: () => number = Date.now, db?: AppDatabase) {
  const database = () => db ?? getAppDb();
  const statements = (handle: AppDatabase) => {
    let found = prepared.get(handle);
    if (!found) prepared.set(handle, (found = statementsFor(handle)));
    return found;
  };

  return {
    /** Counts this request and says whether it is within the limit. */
    check(key: string, rule: RateLimitRule): RateLimitVerdict {
      const t = now();
      const handle = database();
      const q = statements(handle);
      // IMMEDIATE takes the write lock before the count is read: a check in another process waits
      // for this one to commit, so two instances can never both admit the last request of a window.
      return handle.transaction(
        (): RateLimitVerdict => {
          // Pruned as it goes: rows whose window is over, of every key. Refused requests are never
          // stored, so the table holds at most `limit` rows per key used within its window.
          q.prune.run({ now: t });
          const held = q.held.get({ key, since: t - rule.windowMs });
          if (held && held.n >= rule.limit) {
            const oldest = held.oldest ?? t;
            return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - t) / 1000)) };
          }
          q.hit.run({ key, at: t, expiresAt: t + rule.windowMs });
          return { ok: true };
        },
        { behavior: "immediate" },
      );
    },
    /** Keys held (tests). */
    size(): number {
      return database().select({ n: countDistinct(rateLimitHits.key) }).from(rateLimitHits).get()?.n ?? 0;
    },
    reset() {
      database().delete(rateLimitHits).run();
    },
  };
}

const holder = globalThis as typeof globalThis & { __mmsRateLimiter?: ReturnType<typeof createRateLimiter> };
/** Kept on globalThis only so every bundle shares one object; the counts themselves are in the database. */
export const rateLimiter = (holder.__mmsRateLimiter ??= createRateLimiter());

export const RATE_LIMITS = {
  upload: { limit: 60, windowMs: 60_000 },
  send: { limit: 20, windowMs: 60_000 },
  testPreview: { limit: 30, windowMs: 60_000 },
} satisfies Record<string, RateLimitRule>;
