import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessions, users } from "@/lib/db";
import { tempAppDatabase } from "@/tests/support/app-db";
import {
  countActiveSessions,
  createSession,
  deleteOtherSessions,
  deleteUserSessions,
  findSessionUser,
  pruneSessions,
  SESSION_TOUCH_INTERVAL_MS,
  SESSION_TTL_MS,
} from "./sessions";

const MINUTE = 60_000;
const IDLE = 60 * MINUTE;
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

let handle: ReturnType<typeof tempAppDatabase>;
let userId: number;
let otherId: number;
beforeEach(() => {
  handle = tempAppDatabase();
  const add = (email: string) =>
    Number(handle.db.insert(users).values({ email, name: email, role: "sender", passwordHash: "x", createdAt: T0 }).run().lastInsertRowid);
  userId = add("a@example.com");
  otherId = add("b@example.com");
});
afterEach(() => handle.dispose());

const at = (now: number) => ({ now, idleMs: IDLE });
const lastSeen = () => handle.db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).all().map((r) => r.lastSeenAt);

describe("sessions", () => {
  it("end after the idle time without requests, even before their absolute end", () => {
    const { token } = createSession(handle.db, userId, at(T0));
    expect(findSessionUser(handle.db, token, at(T0 + IDLE - 1))?.email).toBe("a@example.com");
    const fresh = createSession(handle.db, userId, at(T0)).token;
    expect(findSessionUser(handle.db, fresh, at(T0 + IDLE))).toBeNull();
  });

  it("stay alive while used, up to their absolute end", () => {
    const { token, expiresAt } = createSession(handle.db, userId, at(T0));
    expect(expiresAt).toBe(T0 + SESSION_TTL_MS);
    // A request every 50 minutes keeps it going…
    let now = T0;
    while (now + 50 * MINUTE < T0 + SESSION_TTL_MS) {
      now += 50 * MINUTE;
      expect(findSessionUser(handle.db, token, at(now)), `at +${(now - T0) / MINUTE} min`).not.toBeNull();
    }
    // …but never past the absolute limit.
    expect(findSessionUser(handle.db, token, at(T0 + SESSION_TTL_MS))).toBeNull();
  });

  it("write lastSeenAt at most once a minute per session", () => {
    const { token } = createSession(handle.db, userId, at(T0));
    expect(lastSeen()).toEqual([T0]);
    findSessionUser(handle.db, token, at(T0 + 10_000));
    findSessionUser(handle.db, token, at(T0 + SESSION_TOUCH_INTERVAL_MS - 1));
    expect(lastSeen()).toEqual([T0]);
    findSessionUser(handle.db, token, at(T0 + SESSION_TOUCH_INTERVAL_MS));
    expect(lastSeen()).toEqual([T0 + SESSION_TOUCH_INTERVAL_MS]);
  });

  it("are not found for a disabled user, an unknown or an oversized token", () => {
    const { token } = createSession(handle.db, userId, at(T0));
    expect(findSessionUser(handle.db, "nope", at(T0))).toBeNull();
    expect(findSessionUser(handle.db, "x".repeat(500), at(T0))).toBeNull();
    expect(findSessionUser(handle.db, undefined, at(T0))).toBeNull();
    handle.sqlite.prepare("update users set disabled_at = ? where id = ?").run(T0, userId);
    expect(findSessionUser(handle.db, token, at(T0))).toBeNull();
  });

  it("expired and idle sessions are pruned; active ones stay", () => {
    const row = (idHash: string, createdAt: number, lastSeenAt: number) =>
      handle.db.insert(sessions).values({ idHash, userId, createdAt, expiresAt: createdAt + SESSION_TTL_MS, lastSeenAt }).run();
    row("expired", T0 - SESSION_TTL_MS, T0 - MINUTE);
    row("idle", T0 - 2 * IDLE, T0 - IDLE);
    const active = createSession(handle.db, otherId, at(T0 - MINUTE)).token;
    expect(pruneSessions(handle.db, at(T0))).toBe(2);
    expect(findSessionUser(handle.db, active, at(T0))?.email).toBe("b@example.com");
    expect(handle.db.select().from(sessions).all()).toHaveLength(1);
    // Starting a session prunes too, so the table cannot grow without the daily job.
    createSession(handle.db, userId, at(T0 + IDLE + MINUTE));
    expect(handle.db.select().from(sessions).all()).toHaveLength(1);
  });

  it("a user can end their other sessions and keep the current one; an admin can end all of them", () => {
    const current = createSession(handle.db, userId, at(T0)).token;
    const laptop = createSession(handle.db, userId, at(T0)).token;
    const phone = createSession(handle.db, userId, at(T0)).token;
    const someoneElse = createSession(handle.db, otherId, at(T0)).token;
    expect(countActiveSessions(handle.db, userId, at(T0))).toBe(3);

    expect(deleteOtherSessions(handle.db, userId, current)).toBe(2);
    expect(findSessionUser(handle.db, current, at(T0))).not.toBeNull();
    expect(findSessionUser(handle.db, laptop, at(T0))).toBeNull();
    expect(findSessionUser(handle.db, phone, at(T0))).toBeNull();
    expect(findSessionUser(handle.db, someoneElse, at(T0))).not.toBeNull();
    expect(countActiveSessions(handle.db, userId, at(T0))).toBe(1);

    expect(deleteUserSessions(handle.db, userId)).toBe(1);
    expect(findSessionUser(handle.db, current, at(T0))).toBeNull();
    expect(findSessionUser(handle.db, someoneElse, at(T0))).not.toBeNull();
  });
});
