/**
 * Sliding-window limiter kept in memory: the dashboard runs as one Node process, and limits only
 * need to stop accidental floods (a stuck key, a loop), not survive restarts.
 */
export type RateLimitRule = { limit: number; windowMs: number };

export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export function createRateLimiter(now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  return {
    check(key: string, rule: RateLimitRule): RateLimitVerdict {
      const t = now();
      const recent = (hits.get(key) ?? []).filter((at) => at > t - rule.windowMs);
      if (recent.length >= rule.limit) {
        hits.set(key, recent);
        const oldest = recent[0] ?? t;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - t) / 1000)) };
      }
      recent.push(t);
      hits.set(key, recent);
      return { ok: true };
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
  signIn: { limit: 8, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>;
