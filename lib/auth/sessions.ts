import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gt, isNull, lte, ne, or } from "drizzle-orm";
import { type AppDatabase, sessions, users } from "@/lib/db";
import type { Role, SessionUser } from "./roles";

export const SESSION_COOKIE = "mms_session";
/** Absolute lifetime of a session, however active it is. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/**
 * lastSeenAt is written at most this often per session: every page load and API call looks the
 * session up, and a write per request would turn each read into a WAL write. The idle timeout is
 * therefore exact to within this interval.
 */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

/** The clock and the idle timeout (config.sessionIdleMs, SESSION_IDLE_MINUTES) a session check uses. */
export type SessionClock = { now: number; idleMs: number };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A session is usable while before its absolute end and seen within the idle time. */
const usable = ({ now, idleMs }: SessionClock) => and(gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, now - idleMs));

export function createSession(db: AppDatabase, userId: number, clock: SessionClock): { token: string; expiresAt: number } {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = clock.now + SESSION_TTL_MS;
  pruneSessions(db, clock);
  db.insert(sessions).values({ idHash: hashToken(token), userId, createdAt: clock.now, expiresAt, lastSeenAt: clock.now }).run();
  return { token, expiresAt };
}

/** The session's user when the session is usable and the user enabled; refreshes lastSeenAt (at most once a minute). */
export function findSessionUser(db: AppDatabase, token: string | undefined, clock: SessionClock): SessionUser | null {
  if (!token || token.length > 200) return null;
  const idHash = hashToken(token);
  const row = db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), usable(clock), isNull(users.disabledAt)))
    .get();
  if (!row) return null;
  if (clock.now - row.lastSeenAt >= SESSION_TOUCH_INTERVAL_MS) {
    db.update(sessions).set({ lastSeenAt: clock.now }).where(eq(sessions.idHash, idHash)).run();
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role as Role };
}

/** Deletes expired and idle sessions; returns how many. Run on every new session and by the daily maintenance. */
export function pruneSessions(db: AppDatabase, { now, idleMs }: SessionClock): number {
  return db
    .delete(sessions)
    .where(or(lte(sessions.expiresAt, now), lte(sessions.lastSeenAt, now - idleMs)))
    .run().changes;
}

export function countActiveSessions(db: AppDatabase, userId: number, clock: SessionClock): number {
  return db.select({ n: count() }).from(sessions).where(and(eq(sessions.userId, userId), usable(clock))).get()?.n ?? 0;
}

export function deleteSession(db: AppDatabase, token: string | undefined): void {
  if (token) db.delete(sessions).where(eq(sessions.idHash, hashToken(token))).run();
}

/** Signs a user out everywhere; returns how many sessions ended. */
export function deleteUserSessions(db: AppDatabase, userId: number): number {
  return db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
}

/** Ends every session of the user except the one holding `keepToken`; returns how many ended. */
export function deleteOtherSessions(db: AppDatabase, userId: number, keepToken: string): number {
  return db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.idHash, hashToken(keepToken))))
    .run().changes;
}
