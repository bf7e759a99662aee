import { asc, eq } from "drizzle-orm";
import type { AppDatabase } from "../index";
import { users } from "../app-schema";

export type UserRow = typeof users.$inferSelect;
export type UserListItem = Omit<UserRow, "passwordHash">;

export function listUsers(db: AppDatabase): UserListItem[] {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt, disabledAt: users.disabledAt, isDemo: users.isDemo })
    .from(users)
    .orderBy(asc(users.email))
    .all();
}

export function findUserByEmail(db: AppDatabase, email: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.email, email)).get();
}

export function findUserById(db: AppDatabase, id: number): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function insertUser(db: AppDatabase, user: typeof users.$inferInsert): number {
  return Number(db.insert(users).values(user).run().lastInsertRowid);
}

export function updateUser(db: AppDatabase, id: number, values: Partial<Pick<UserRow, "role" | "name" | "disabledAt" | "passwordHash" | "isDemo">>): void {
  db.update(users).set(values).where(eq(users.id, id)).run();
}
