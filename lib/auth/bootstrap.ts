import "server-only";
import { and, count, eq, isNull } from "drizzle-orm";
import { appendAudit, SYSTEM_ACTOR } from "@/lib/audit/log";
import { ConfigError, type AppConfig } from "@/lib/config/env";
import { type AppDatabase, users } from "@/lib/db";
import { findUserByEmail, insertUser, updateUser } from "@/lib/db/queries/users";
import { plural } from "@/lib/format/units";
import { hashPassword, verifyPassword } from "./password";
import { PasswordCheckError, passwordProblem } from "./password-strength";
import { SANDBOX_DEMO_USERS } from "./demo-accounts";
import { deleteUserSessions } from "./sessions";

const ADMIN_NAME = "Administrator";

/** What start-up did to the accounts; describeAccounts() turns it into the one log line. */
export type AccountsReport = {
  /** Demo rows from before users.is_demo existed, recognised by address and published password. */
  markedDemo: string[];
  createdDemo: string[];
  /** Live mode: demo accounts disabled now, and how many sessions of theirs ended. */
  disabledDemo: string[];
  sessionsEnded: number;
  /** Sandbox mode: demo accounts left disabled (by an earlier live start or by an admin). */
  demoStillDisabled: number;
  createdAdmin: string | null;
  restoredAdmin: string | null;
};

export function describeAccounts(report: AccountsReport): string {
  const parts: string[] = [];
  if (report.markedDemo.length) parts.push(`recognised ${plural(report.markedDemo.length, "demo account")} from before the demo flag`);
  if (report.createdDemo.length) parts.push(`created demo accounts ${report.createdDemo.join(", ")}`);
  if (report.disabledDemo.length) {
    parts.push(`disabled ${plural(report.disabledDemo.length, "demo account")} (live mode) and ended ${plural(report.sessionsEnded, "session")}`);
  }
  if (report.demoStillDisabled) parts.push(`${plural(report.demoStillDisabled, "demo account")} left disabled (an admin can enable them)`);
  if (report.createdAdmin) parts.push(`created admin ${report.createdAdmin}`);
  if (report.restoredAdmin) parts.push(`re-enabled ${report.restoredAdmin} as admin with ADMIN_PASSWORD`);
  return parts.length ? parts.join("; ") : "no changes";
}

/**
 * Databases from before the demo flag hold the demo rows unmarked. A row is the demo account only if
 * its address is a demo address AND its hash still verifies against that account's published password:
 * a real person who uses one of those addresses with a password of their own is never touched.
 */
async function markLegacyDemoAccounts(db: AppDatabase, report: AccountsReport): Promise<void> {
  for (const demo of SANDBOX_DEMO_USERS) {
    const row = findUserByEmail(db, demo.email);
    if (row && !row.isDemo && (await verifyPassword(row.passwordHash, demo.password))) {
      updateUser(db, row.id, { isDemo: true });
      report.markedDemo.push(demo.email);
    }
  }
}

/**
 * Sandbox mode: creates the missing demo accounts. One that exists but is disabled stays disabled:
 * the same database may hold real campaigns and phone numbers from a live period, and the demo
 * passwords are published in the README, so only an admin decides to enable them again.
 */
async function createDemoAccounts(db: AppDatabase, now: number, report: AccountsReport): Promise<void> {
  for (const demo of SANDBOX_DEMO_USERS) {
    const row = findUserByEmail(db, demo.email);
    if (row) {
      if (row.isDemo && row.disabledAt) report.demoStillDisabled++;
      continue;
    }
    insertUser(db, { email: demo.email, name: demo.name, role: demo.role, passwordHash: await hashPassword(demo.password), createdAt: now, isDemo: true });
    report.createdDemo.push(demo.email);
  }
}

/** Live mode: every account marked demo (by flag, not address) is disabled and signed out. */
function disableDemoAccounts(db: AppDatabase, now: number, report: AccountsReport): void {
  const rows = db.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.isDemo, true), isNull(users.disabledAt))).all();
  for (const row of rows) {
    updateUser(db, row.id, { disabledAt: now });
    report.sessionsEnded += deleteUserSessions(db, row.id);
    report.disabledDemo.push(row.email);
  }
  if (rows.length) {
    appendAudit(db, { actor: SYSTEM_ACTOR, action: "demo_accounts_disabled", at: now, detail: { accounts: report.disabledDemo, sessionsEnded: report.sessionsEnded } });
  }
}

function hasUsableAdmin(db: AppDatabase): boolean {
  const row = db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), eq(users.isDemo, false)))
    .get();
  return (row?.n ?? 0) > 0;
}

/** ADMIN_PASSWORD gets the same strength rule as every password; checked before any account changes. */
async function checkAdminPassword(admin: NonNullable<AppConfig["initialAdmin"]>): Promise<void> {
  let problem: string | null;
  try {
    problem = await passwordProblem(admin.password, { email: admin.email, name: ADMIN_NAME });
  } catch (error) {
    if (error instanceof PasswordCheckError) throw new ConfigError(`ADMIN_PASSWORD could not be checked: ${error.message}`);
    throw error;
  }
  if (problem) throw new ConfigError(`ADMIN_PASSWORD is ${problem.replace(/^Too easy/, "too easy")}`);
}

/**
 * ADMIN_EMAIL/ADMIN_PASSWORD, used only when no enabled non-demo admin exists. An existing account
 * with that address is re-enabled, made admin, given ADMIN_PASSWORD, unmarked as demo and signed out
 * everywhere: whoever sets the environment already controls the database, and keeping its old password
 * would leave a published demo password (or one nobody present knows) on the only admin.
 */
async function applyConfiguredAdmin(db: AppDatabase, admin: NonNullable<AppConfig["initialAdmin"]>, now: number, report: AccountsReport): Promise<void> {
  const passwordHash = await hashPassword(admin.password);
  const existing = findUserByEmail(db, admin.email);
  if (existing) {
    updateUser(db, existing.id, { role: "admin", disabledAt: null, isDemo: false, passwordHash });
    const sessionsEnded = deleteUserSessions(db, existing.id);
    appendAudit(db, {
      actor: SYSTEM_ACTOR,
      action: "user_updated",
      target: admin.email,
      at: now,
      detail: { userId: existing.id, role: "admin", disabled: false, passwordReset: true, sessionsEnded, source: "ADMIN_EMAIL" },
    });
    report.restoredAdmin = admin.email;
  } else {
    const userId = insertUser(db, { email: admin.email, name: ADMIN_NAME, role: "admin", passwordHash, createdAt: now });
    appendAudit(db, { actor: SYSTEM_ACTOR, action: "user_created", target: admin.email, at: now, detail: { userId, role: "admin", source: "ADMIN_EMAIL" } });
    report.createdAdmin = admin.email;
  }
}

const NO_USERS = "No users exist yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin";
const NO_LIVE_ADMIN = "No enabled admin account once demo accounts are disabled for live mode: set ADMIN_EMAIL and ADMIN_PASSWORD to create one";

/**
 * Start-up's account rules (issue 11 item 1): demo accounts exist only for sandbox mode and are
 * disabled whenever live credentials are configured; ADMIN_EMAIL/ADMIN_PASSWORD give an admin
 * whenever no enabled non-demo admin exists; live mode without a usable admin does not start.
 * Every refusal (ConfigError, one-line reason) comes before any account is changed, so a start-up
 * that stops has done nothing but recognise old demo rows.
 */
export async function ensureInitialUsers(db: AppDatabase, config: AppConfig, now = Date.now()): Promise<AccountsReport> {
  const report: AccountsReport = {
    markedDemo: [],
    createdDemo: [],
    disabledDemo: [],
    sessionsEnded: 0,
    demoStillDisabled: 0,
    createdAdmin: null,
    restoredAdmin: null,
  };
  await markLegacyDemoAccounts(db, report);
  const needsAdmin = !hasUsableAdmin(db);
  const admin = needsAdmin ? config.initialAdmin : null;
  if (config.gateway.mode === "live" && needsAdmin && !admin) {
    const anyUser = (db.select({ n: count() }).from(users).get()?.n ?? 0) > 0;
    throw new ConfigError(anyUser ? NO_LIVE_ADMIN : NO_USERS);
  }
  if (admin) await checkAdminPassword(admin);

  if (config.gateway.mode === "live") disableDemoAccounts(db, now, report);
  else await createDemoAccounts(db, now, report);
  if (admin) await applyConfiguredAdmin(db, admin, now, report);

  if ((db.select({ n: count() }).from(users).get()?.n ?? 0) === 0) throw new ConfigError(NO_USERS);
  return report;
}
