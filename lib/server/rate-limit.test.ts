import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit";

describe("rate limiter", () => {
  it("allows up to the limit per window, then says how long to wait", () => {
    let t = 0;
    const limiter = createRateLimiter(() => t);
    const rule = { limit: 2, windowMs: 10_000 };
    expect(limiter.check("k", rule)).toEqual({ ok: true });
    t = 1_000;
    expect(limiter.check("k", rule)).toEqual({ ok: true });
    t = 2_000;
    expect(limiter.check("k", rule)).toEqual({ ok: false, retryAfterSeconds: 8 });
    t = 10_001;
    expect(limiter.check("k", rule)).toEqual({ ok: true });
    expect(limiter.check("other", rule)).toEqual({ ok: true });
  });

  it("peek does not count; record counts without checking (failed sign-ins)", () => {
    const limiter = createRateLimiter(() => 0);
    const rule = { limit: 2, windowMs: 60_000 };
    expect(limiter.peek("k", rule).ok).toBe(true);
    expect(limiter.peek("k", rule).ok).toBe(true);
    limiter.record("k");
    limiter.record("k");
    expect(limiter.peek("k", rule)).toEqual({ ok: false, retryAfterSeconds: 60 });
  });
});
