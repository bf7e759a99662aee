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

  it("forgets keys whose window has passed, so its memory stays bounded", () => {
    let t = 0;
    const limiter = createRateLimiter(() => t);
    const rule = { limit: 5, windowMs: 60_000 };
    for (let i = 0; i < 10_000; i++) limiter.check(`upload:${i}`, rule);
    expect(limiter.size()).toBe(10_000);
    // Keys never used again are swept once their window is over, by any later call.
    t = 2 * 60_000 + 1;
    expect(limiter.check("upload:new", rule)).toEqual({ ok: true });
    expect(limiter.size()).toBe(1);
  });

  it("keeps a key while its window lasts, whatever other keys do", () => {
    let t = 0;
    const limiter = createRateLimiter(() => t);
    const short = { limit: 1, windowMs: 1_000 };
    const long = { limit: 1, windowMs: 10 * 60_000 };
    limiter.check("send:1", long);
    limiter.check("preview:1", short);
    t = 5 * 60_000;
    limiter.check("preview:2", short);
    expect(limiter.size()).toBe(2);
    expect(limiter.check("send:1", long).ok).toBe(false);
  });
});
