import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { type AppDatabase, sessions, users } from "@/lib/db";
import type { Role, SessionUser } from "./roles";

export const SESSION_COOKIE = "mms_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function createSession(db: AppDatabase, userId: number, now = Date.now()): { token: string; expiresAt: number } {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + SESSION_TTL_MS;
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  db.insert(sessions).values({ idHash: hashToken(token), userId, createdAt: now, expiresAt }).run();
  return { token, expiresAt };
}

export function findSessionUser(db: AppDatabase, token: string | undefined, now = Date.now()): SessionUser | null {
  if (!token || token.length > 200) return null;
  const row = db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hashToken(token)), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
    .get();
  return row ? { ...row, role: row.role as Role } : null;
}

export function deleteSession(db: AppDatabase, token: string | undefined): void {
  if (token) db.delete(sessions).where(eq(sessions.idHash, hashToken(token))).run();
}

export function deleteUserSessions(db: AppDatabase, userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
