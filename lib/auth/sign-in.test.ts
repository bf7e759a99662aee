import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, signInFailures } from "@/lib/db";
import { insertUser } from "@/lib/db/queries/users";
import { tempAppDatabase } from "@/tests/support/app-db";
import { hashPassword } from "./password";
import { attemptSignIn } from "./sign-in";
import { SIGN_IN_THROTTLE } from "./sign-in-throttle";

let handle: ReturnType<typeof tempAppDatabase>;
beforeEach(() => {
  handle = tempAppDatabase();
});
afterEach(() => handle.dispose());

function addUser(email: string, passwordHash = "unused", disabledAt: number | null = null) {
  return insertUser(handle.db, { email, name: email, role: "viewer", passwordHash, createdAt: 0, disabledAt });
}

/** A password check that takes a while, like argon2, and counts how often it runs. */
function slowVerifier(right = "right") {
  const calls = { n: 0 };
  const verify = async (_hash: string, password: string) => {
    calls.n++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return password === right;
  };
  return { calls, verify, decoyHash: async () => "decoy" };
}

describe("attemptSignIn", () => {
  it("24 parallel attempts against an address limit of 8 evaluate at most 8 passwords", async () => {
    const users = Array.from({ length: 24 }, (_, i) => `user${i}@example.com`);
    users.forEach((email) => addUser(email));
    const { calls, verify, decoyHash } = slowVerifier();
    const policy = { ...SIGN_IN_THROTTLE, addressLimit: 8 };
    const outcomes = await Promise.all(
      users.map((email) => attemptSignIn(handle.db, { email, password: "wrong", address: "203.0.113.7" }, { verify, decoyHash, policy })),
    );
    expect(calls.n).toBe(8);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === "throttled")).toHaveLength(16);
  });

  it("24 parallel attempts at one account from one address evaluate 3 (the free attempts)", async () => {
    addUser("alice@example.com");
    const { calls, verify, decoyHash } = slowVerifier();
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, () => attemptSignIn(handle.db, { email: "alice@example.com", password: "wrong", address: "203.0.113.7" }, { verify, decoyHash })),
    );
    expect(calls.n).toBe(3);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === "wrong")).toHaveLength(3);
  });

  it("unknown e-mails are checked against the decoy hash and counted together", async () => {
    const { calls, verify, decoyHash } = slowVerifier();
    for (let i = 0; i < 5; i++) {
      await attemptSignIn(handle.db, { email: `nobody${i}@example.com`, password: "x", address: "203.0.113.7" }, { verify, decoyHash, now: () => i * 60_000 });
    }
    expect(calls.n).toBe(5);
    expect(handle.db.select().from(signInFailures).all()).toMatchObject([{ accountKey: "*", attempts: 5 }]);
    expect(handle.db.select().from(auditLog).all()).toEqual([]);
  });

  it("a right password signs in and clears that address's failures for the account", async () => {
    const hash = await hashPassword("the-right-password");
    const id = addUser("alice@example.com", hash);
    const failed = await attemptSignIn(handle.db, { email: "alice@example.com", password: "wrong", address: "203.0.113.7" });
    expect(failed).toEqual({ ok: false, reason: "wrong", accountLimitReached: null });
    const signedIn = await attemptSignIn(handle.db, { email: "alice@example.com", password: "the-right-password", address: "203.0.113.7" });
    expect(signedIn).toMatchObject({ ok: true, user: { id, email: "alice@example.com" }, failuresCleared: 1 });
    expect(handle.db.select().from(signInFailures).all()).toEqual([]);
  });

  it("a disabled account's right password is a failure, and counted", async () => {
    const { verify, decoyHash } = slowVerifier("right");
    addUser("gone@example.com", "hash", 1);
    expect(await attemptSignIn(handle.db, { email: "gone@example.com", password: "right", address: "203.0.113.7" }, { verify, decoyHash })).toMatchObject({ ok: false, reason: "wrong" });
    expect(handle.db.select().from(signInFailures).all()).toMatchObject([{ accountKey: "gone@example.com", attempts: 1 }]);
  });

  it("says which account reached its hourly ceiling, on the attempt that reached it", async () => {
    const id = addUser("alice@example.com");
    const { verify, decoyHash } = slowVerifier();
    const policy = { ...SIGN_IN_THROTTLE, accountLimit: 3 };
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await attemptSignIn(handle.db, { email: "alice@example.com", password: "wrong", address: `203.0.113.${i}` }, { verify, decoyHash, policy }));
    }
    expect(outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.reason === "wrong" ? outcome.accountLimitReached?.id ?? null : "throttled"))).toEqual([null, null, id, "throttled"]);
    expect(outcomes[3]).toMatchObject({ ok: false, reason: "throttled", retryAfterSeconds: expect.any(Number) });
  });
});
