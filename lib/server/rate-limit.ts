/**
 * Sliding-window limiter kept in memory: the dashboard runs as one Node process, and limits only
 * need to stop accidental floods (a stuck key, a loop), not survive restarts.
 */
export type RateLimitRule = { limit: number; windowMs: number };

export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export function createRateLimiter(now: () => number = Date.now) {
  const hits = new Map<string, number[]>();

  function recent(key: string, rule: RateLimitRule, t: number): number[] {
    const list = (hits.get(key) ?? []).filter((at) => at > t - rule.windowMs);
    hits.set(key, list);
    return list;
  }

  function verdictFor(list: number[], rule: RateLimitRule, t: number): RateLimitVerdict {
    if (list.length < rule.limit) return { ok: true };
    const oldest = list[0] ?? t;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - t) / 1000)) };
  }

  return {
    /** Counts this request and says whether it is within the limit. */
    check(key: string, rule: RateLimitRule): RateLimitVerdict {
      const t = now();
      const list = recent(key, rule, t);
      const verdict = verdictFor(list, rule, t);
      if (verdict.ok) list.push(t);
      return verdict;
    },
    /** Whether the key is over the limit, without counting anything (e.g. before a sign-in attempt). */
    peek(key: string, rule: RateLimitRule): RateLimitVerdict {
      const t = now();
      return verdictFor(recent(key, rule, t), rule, t);
    },
    /** Counts one event without checking (e.g. a failed sign-in). */
    record(key: string): void {
      const list = hits.get(key) ?? [];
      list.push(now());
      hits.set(key, list);
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
  /** Failed sign-ins per e-mail and address: slows password guessing, never locks out a correct password for long. */
  signInFailures: { limit: 8, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>;
