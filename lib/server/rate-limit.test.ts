import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAppDatabase } from "@/lib/db";
import { tempAppDatabase } from "@/tests/support/app-db";
import { raceProcesses } from "@/tests/support/processes";
import { createRateLimiter } from "./rate-limit";

const databases: ReturnType<typeof tempAppDatabase>[] = [];
const extra: ReturnType<typeof openAppDatabase>[] = [];
afterEach(() => {
  for (const handle of extra.splice(0)) handle.close();
  for (const database of databases.splice(0)) database.dispose();
});

function database() {
  const created = tempAppDatabase();
  databases.push(created);
  return created;
}

type Burst = { allowed: number; startedAt: number; endedAt: number };

function limiterAt(clock: () => number) {
  return createRateLimiter(clock, database().db);
}

describe("rate limiter", () => {
  it("allows up to the limit per window, then says how long to wait", () => {
    let t = 0;
    const limiter = limiterAt(() => t);
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

  it("forgets keys whose window has passed, so its table stays bounded", () => {
    let t = 0;
    const limiter = limiterAt(() => t);
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
    const limiter = limiterAt(() => t);
    const short = { limit: 1, windowMs: 1_000 };
    const long = { limit: 1, windowMs: 10 * 60_000 };
    limiter.check("send:1", long);
    limiter.check("preview:1", short);
    t = 5 * 60_000;
    limiter.check("preview:2", short);
    expect(limiter.size()).toBe(2);
    expect(limiter.check("send:1", long).ok).toBe(false);
  });

  it("does not count refused requests: a client hammering while refused is let in once its window moves on", () => {
    let t = 0;
    const limiter = limiterAt(() => t);
    const rule = { limit: 1, windowMs: 10_000 };
    expect(limiter.check("k", rule).ok).toBe(true);
    for (t = 1_000; t < 10_000; t += 1_000) expect(limiter.check("k", rule).ok).toBe(false);
    t = 10_000;
    expect(limiter.check("k", rule)).toEqual({ ok: true });
  });
});

describe("rate limiter over several processes on one database file", () => {
  it("holds the limit over every instance together, not once per instance", () => {
    // Two `next start` instances on one data folder: each its own connection and its own limiter.
    const first = database();
    const second = openAppDatabase(path.join(first.dir, "app.db"));
    extra.push(second);
    let t = 0;
    const a = createRateLimiter(() => t, first.db);
    const b = createRateLimiter(() => t, second.db);
    const rule = { limit: 3, windowMs: 60_000 };

    const verdicts = [a, b, a, b, a, b].map((limiter) => {
      t += 1_000;
      return limiter.check("send:7", rule).ok;
    });
    expect(verdicts).toEqual([true, true, true, false, false, false]);
    // The wait is the same whichever instance answers: counted from the oldest hit, made through `a`.
    expect(b.check("send:7", rule)).toEqual({ ok: false, retryAfterSeconds: 55 });
    expect(a.check("send:7", rule)).toEqual({ ok: false, retryAfterSeconds: 55 });
    // Another user's key is not touched by the first one's limit.
    expect(b.check("send:8", rule)).toEqual({ ok: true });
    // Once the oldest hit leaves the window, exactly one more request gets in, through either instance.
    t = 61_000;
    expect(b.check("send:7", rule)).toEqual({ ok: true });
    expect(a.check("send:7", rule).ok).toBe(false);
  });

  it("lets exactly the limit through when separate processes race on one key (each check is one IMMEDIATE transaction)", async () => {
    const { dir } = database();
    const rule = { limit: 100, windowMs: 60_000 };
    // Real processes, not connections in this one: only then do two checks truly overlap in time.
    const args = [path.join(dir, "app.db"), "send:1", String(rule.limit), String(rule.windowMs), "300"];
    const bursts = await raceProcesses<Burst>("tests/support/rate-limit-process.ts", [args, args, args]);
    // The bursts overlapped (otherwise this proves nothing about racing)...
    expect(Math.max(...bursts.map((b) => b.startedAt))).toBeLessThan(Math.min(...bursts.map((b) => b.endedAt)));
    // ...and together they let exactly the limit through, however it fell between them.
    expect(bursts.reduce((total, b) => total + b.allowed, 0)).toBe(rule.limit);
    expect(createRateLimiter(Date.now, databases[0]!.db).check("send:1", rule).ok).toBe(false);
  }, 60_000);
});
