/**
 * Sliding-window limiter kept in memory, for signed-in users' uploads and sends: the dashboard runs as
 * one Node process, and these limits only need to stop accidental floods (a stuck key, a loop), not
 * survive restarts. Failed sign-ins are throttled elsewhere, in the database
 * (lib/auth/sign-in-throttle.ts), because there the caller is unauthenticated and limits must hold.
 */
export type RateLimitRule = { limit: number; windowMs: number };

export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/** How often expired keys are swept: memory is bounded by the keys used within the longest window. */
const SWEEP_EVERY_MS = 60_000;

export function createRateLimiter(now: () => number = Date.now) {
  const hits = new Map<string, { windowMs: number; at: number[] }>();
  let lastSweep = now();

  function sweep(t: number) {
    if (t - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = t;
    for (const [key, entry] of hits) {
      if ((entry.at.at(-1) ?? -Infinity) <= t - entry.windowMs) hits.delete(key);
    }
  }

  return {
    /** Counts this request and says whether it is within the limit. */
    check(key: string, rule: RateLimitRule): RateLimitVerdict {
      const t = now();
      sweep(t);
      const at = (hits.get(key)?.at ?? []).filter((hit) => hit > t - rule.windowMs);
      if (at.length >= rule.limit) {
        hits.set(key, { windowMs: rule.windowMs, at });
        const oldest = at[0] ?? t;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - t) / 1000)) };
      }
      at.push(t);
      hits.set(key, { windowMs: rule.windowMs, at });
      return { ok: true };
    },
    /** Keys held (tests). */
    size(): number {
      return hits.size;
    },
    reset() {
      hits.clear();
    },
  };
}

const holder = globalThis as typeof globalThis & { __mmsRateLimiter?: ReturnType<typeof createRateLimiter> };
export const rateLimiter = (holder.__mmsRateLimiter ??= createRateLimiter());

export const RATE_LIMITS = {
  upload: { limit: 60, windowMs: 60_000 },
  send: { limit: 20, windowMs: 60_000 },
  testPreview: { limit: 30, windowMs: 60_000 },
} satisfies Record<string, RateLimitRule>;
