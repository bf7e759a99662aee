import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAppDatabase, signInFailures } from "@/lib/db";
import { tempAppDatabase } from "@/tests/support/app-db";
import {
  clearSignInFailures,
  listSignInFailures,
  reserveSignInAttempt,
  SIGN_IN_THROTTLE,
  type SignInThrottlePolicy,
  UNKNOWN_ACCOUNT,
} from "./sign-in-throttle";

const MINUTE = 60_000;
// A window boundary, so "the current window" is predictable.
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

let handle: ReturnType<typeof tempAppDatabase>;
beforeEach(() => {
  handle = tempAppDatabase();
});
afterEach(() => handle.dispose());

const alice = (address: string) => ({ address, accountKey: "alice@example.com" });

function reserve(key: { address: string; accountKey: string }, now: number, policy?: Partial<SignInThrottlePolicy>) {
  return reserveSignInAttempt(handle.db, key, { now, policy: { ...SIGN_IN_THROTTLE, ...policy } });
}

describe("sign-in throttle: one account from one address", () => {
  it("lets 3 attempts through, then makes each wait 2^(n-3) s after the last", () => {
    const key = alice("203.0.113.7");
    let t = T0;
    for (let i = 0; i < 3; i++) expect(reserve(key, (t += 100)).ok).toBe(true);
    expect(reserve(key, t + 100)).toEqual({ ok: false, limit: "delay", retryAfterSeconds: 1 });
    expect(reserve(key, (t += 1000)).ok).toBe(true); // n = 4 now
    expect(reserve(key, t + 1000)).toEqual({ ok: false, limit: "delay", retryAfterSeconds: 1 });
    expect(reserve(key, t + 500)).toEqual({ ok: false, limit: "delay", retryAfterSeconds: 2 });
    expect(reserve(key, (t += 2000)).ok).toBe(true); // n = 5
    expect(reserve(key, t)).toEqual({ ok: false, limit: "delay", retryAfterSeconds: 4 });
  });

  it("caps the delay at 15 minutes", () => {
    const key = alice("203.0.113.7");
    let t = T0;
    for (let i = 0; i < 20; i++) {
      t += 15 * MINUTE;
      expect(reserve(key, t).ok, `attempt ${i}`).toBe(true);
    }
    expect(reserve(key, t + 1)).toEqual({ ok: false, limit: "delay", retryAfterSeconds: 15 * 60 });
    expect(reserve(key, t + 15 * MINUTE).ok).toBe(true);
  });

  it("does not count refused attempts: hammering while throttled changes nothing", () => {
    const key = alice("203.0.113.7");
    for (let i = 0; i < 3; i++) reserve(key, T0);
    for (let i = 0; i < 50; i++) expect(reserve(key, T0 + i).ok).toBe(false);
    expect(reserve(key, T0 + 1000).ok).toBe(true);
    expect(handle.db.select().from(signInFailures).all()).toMatchObject([{ attempts: 4 }]);
  });

  it("a right password clears that account and address only", () => {
    const key = alice("203.0.113.7");
    for (let i = 0; i < 5; i++) reserve(key, T0 + i * 20_000);
    reserve({ address: "203.0.113.7", accountKey: UNKNOWN_ACCOUNT }, T0);
    reserve(alice("198.51.100.1"), T0);
    // The successful attempt's own reservation is not a failure.
    expect(reserve(key, T0 + 10 * MINUTE).ok).toBe(true);
    expect(clearSignInFailures(handle.db, key)).toBe(5);
    expect(reserve(key, T0 + 10 * MINUTE + 1).ok).toBe(true);
    expect(handle.db.select().from(signInFailures).all().map((row) => `${row.accountKey}@${row.address}`).sort()).toEqual(
      ["*@203.0.113.7", "alice@example.com@198.51.100.1", "alice@example.com@203.0.113.7"],
    );
  });

  it("an attacker's delays at one address do not lock the owner out from another", () => {
    let t = T0;
    for (let i = 0; i < 40; i++) reserve(alice("203.0.113.7"), (t += 1000));
    expect(reserve(alice("203.0.113.7"), t).ok).toBe(false);
    expect(reserve(alice("198.51.100.1"), t).ok).toBe(true);
  });

  it("keeps its state across a restart (a new connection to the same file)", () => {
    const key = alice("203.0.113.7");
    for (let i = 0; i < 3; i++) reserve(key, T0);
    const again = openAppDatabase(path.join(handle.dir, "app.db"));
    try {
      expect(reserveSignInAttempt(again.db, key, { now: T0 + 10 })).toMatchObject({ ok: false, limit: "delay" });
    } finally {
      again.close();
    }
  });
});

describe("sign-in throttle: one address across e-mails", () => {
  it("allows 30 attempts per 15-minute window from an address, whichever e-mails", () => {
    const address = "203.0.113.7";
    for (let i = 0; i < 30; i++) {
      expect(reserve({ address, accountKey: i % 2 ? `user${i}@example.com` : UNKNOWN_ACCOUNT }, T0 + i * 10_000, { freeAttempts: 100 }).ok).toBe(true);
    }
    expect(reserve({ address, accountKey: "fresh@example.com" }, T0 + 5 * MINUTE)).toEqual({ ok: false, limit: "address", retryAfterSeconds: 10 * 60 });
    // Another address is not affected; the next window starts afresh.
    expect(reserve({ address: "198.51.100.1", accountKey: "fresh@example.com" }, T0 + 5 * MINUTE).ok).toBe(true);
    expect(reserve({ address, accountKey: "fresh@example.com" }, T0 + 15 * MINUTE).ok).toBe(true);
  });

  it("unknown e-mails share one counter and one row per address and window", () => {
    const address = "203.0.113.7";
    let t = T0;
    for (let i = 0; i < 3; i++) expect(reserve({ address, accountKey: UNKNOWN_ACCOUNT }, (t += 10)).ok).toBe(true);
    expect(reserve({ address, accountKey: UNKNOWN_ACCOUNT }, t + 10).ok).toBe(false);
    expect(handle.db.select().from(signInFailures).all()).toEqual([
      { address, accountKey: UNKNOWN_ACCOUNT, windowStart: T0, attempts: 3, firstAt: T0 + 10, lastAt: T0 + 30 },
    ]);
  });
});

describe("sign-in throttle: one account from all addresses", () => {
  it("allows 100 attempts per hour, says when this attempt reached the ceiling, then refuses everyone", () => {
    const verdicts = Array.from({ length: 100 }, (_, i) => reserve(alice(`203.0.113.${i}`), T0 + i * 1000));
    expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
    expect(verdicts.map((verdict) => verdict.ok && verdict.accountLimitReached).filter(Boolean)).toHaveLength(1);
    expect(verdicts[99]).toEqual({ ok: true, accountLimitReached: true });
    // All 100 fell in the window that began at T0; it leaves the hour at T0 + 60 min.
    expect(reserve(alice("198.51.100.1"), T0 + 2 * MINUTE)).toEqual({ ok: false, limit: "account", retryAfterSeconds: 58 * 60 });
    expect(reserve(alice("198.51.100.1"), T0 + 60 * MINUTE)).toEqual({ ok: true, accountLimitReached: false });
    // Unknown e-mails are no account: only the address limit applies to them.
    expect(reserve({ address: "198.51.100.2", accountKey: UNKNOWN_ACCOUNT }, T0 + 2 * MINUTE).ok).toBe(true);
  });

  it("waits only until enough of the hour's attempts have left it", () => {
    const policy = { accountLimit: 10 };
    for (let i = 0; i < 6; i++) reserve(alice(`203.0.113.${i}`), T0 + i, policy); // window T0
    for (let i = 0; i < 4; i++) reserve(alice(`198.51.100.${i}`), T0 + 30 * MINUTE + i, policy); // window T0+30
    // At T0 + 40 min the hour holds 10; at T0 + 60 min the first window's 6 leave it.
    expect(reserve(alice("192.0.2.1"), T0 + 40 * MINUTE, policy)).toEqual({ ok: false, limit: "account", retryAfterSeconds: 20 * 60 });
  });
});

describe("sign-in throttle: bounded", () => {
  it("keeps at most maxRows rows, dropping the oldest first", () => {
    for (let i = 0; i < 12; i++) reserve({ address: `203.0.113.${i}`, accountKey: UNKNOWN_ACCOUNT }, T0 + i * 1000, { maxRows: 10 });
    const rows = handle.db.select().from(signInFailures).all();
    expect(rows).toHaveLength(10);
    expect(rows.map((row) => row.address).sort()).not.toContain("203.0.113.0");
    expect(rows.map((row) => row.address)).toContain("203.0.113.11");
  });

  it("adds a row per address, account and window, never per attempt", () => {
    for (let i = 0; i < 30; i++) reserve({ address: "203.0.113.7", accountKey: UNKNOWN_ACCOUNT }, T0 + i * 30_000, { freeAttempts: 100 });
    expect(handle.db.select().from(signInFailures).all().map((row) => [row.windowStart, row.attempts])).toEqual([
      [T0, 30],
    ]);
  });
});

describe("listSignInFailures", () => {
  it("aggregates per account and address, newest first, with the time span and a total", () => {
    let t = T0;
    for (let i = 0; i < 5; i++) reserve(alice("203.0.113.7"), (t += 3 * MINUTE), { freeAttempts: 100 });
    reserve(alice("203.0.113.7"), T0 + 2 * 60 * MINUTE);
    reserve({ address: "198.51.100.1", accountKey: UNKNOWN_ACCOUNT }, T0 + 60 * MINUTE);
    reserve({ address: "198.51.100.1", accountKey: UNKNOWN_ACCOUNT }, T0 + 61 * MINUTE);
    const all = listSignInFailures(handle.db, { limit: 10, offset: 0 });
    expect(all.total).toBe(2);
    expect(all.groups).toEqual([
      { address: "203.0.113.7", accountKey: "alice@example.com", attempts: 6, firstAt: T0 + 3 * MINUTE, lastAt: T0 + 120 * MINUTE },
      { address: "198.51.100.1", accountKey: UNKNOWN_ACCOUNT, attempts: 2, firstAt: T0 + 60 * MINUTE, lastAt: T0 + 61 * MINUTE },
    ]);
    expect(listSignInFailures(handle.db, { account: "ALICE", limit: 10, offset: 0 }).groups).toHaveLength(1);
    expect(listSignInFailures(handle.db, { account: "%", limit: 10, offset: 0 }).total).toBe(0);
    expect(listSignInFailures(handle.db, { limit: 1, offset: 1 }).groups.map((group) => group.address)).toEqual(["198.51.100.1"]);
  });
});
