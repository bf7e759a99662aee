import "server-only";
import { count, eq } from "drizzle-orm";
import { ConfigError, type AppConfig } from "@/lib/config/env";
import { type AppDatabase, users } from "@/lib/db";
import { hashPassword } from "./password";
import type { Role } from "./roles";

/** Demo accounts, created only in sandbox mode so a fresh clone can be tried at once (README). */
export const SANDBOX_DEMO_USERS: { email: string; password: string; name: string; role: Role }[] = [
  { email: "admin@example.com", password: "sandbox-admin", name: "Demo Admin", role: "admin" },
  { email: "sender@example.com", password: "sandbox-sender", name: "Demo Sender", role: "sender" },
  { email: "viewer@example.com", password: "sandbox-viewer", name: "Demo Viewer", role: "viewer" },
];

async function createUserIfMissing(db: AppDatabase, user: { email: string; password: string; name: string; role: Role }) {
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, user.email)).get();
  if (existing) return false;
  db.insert(users)
    .values({ email: user.email, name: user.name, role: user.role, passwordHash: await hashPassword(user.password), createdAt: Date.now() })
    .run();
  return true;
}

/** Creates the first admin (ADMIN_EMAIL/ADMIN_PASSWORD) and, in sandbox mode, the demo users. */
export async function ensureInitialUsers(db: AppDatabase, config: AppConfig): Promise<string[]> {
  const created: string[] = [];
  const hadUsers = (db.select({ n: count() }).from(users).get()?.n ?? 0) > 0;
  if (config.initialAdmin && !hadUsers) {
    await createUserIfMissing(db, { ...config.initialAdmin, name: "Administrator", role: "admin" });
    created.push(config.initialAdmin.email);
  }
  if (config.gateway.mode === "sandbox") {
    for (const demo of SANDBOX_DEMO_USERS) if (await createUserIfMissing(db, demo)) created.push(demo.email);
  }
  const total = db.select({ n: count() }).from(users).get()?.n ?? 0;
  if (total === 0) {
    throw new ConfigError("No users exist yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin");
  }
  return created;
}
