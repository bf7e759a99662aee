import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AppConfig, ConfigError, parseConfig } from "@/lib/config/env";
import { auditLog, users } from "@/lib/db";
import { tempAppDatabase } from "@/tests/support/app-db";
import { describeAccounts, ensureInitialUsers } from "./bootstrap";
import { SANDBOX_DEMO_USERS } from "./demo-accounts";
import { hashPassword, verifyPassword } from "./password";
import { createSession, findSessionUser } from "./sessions";

const NOW = Date.UTC(2026, 5, 1, 8, 0, 0);
const clock = { now: NOW, idleMs: 60 * 60_000 };
const ADMIN = { email: "you@example.com", password: "Velvet-Harbour-Compass-81" };

const sandbox = (env: Record<string, string> = {}) => parseConfig({ DATA_DIR: "/tmp/mms-bootstrap-test", ...env });
const live = (env: Record<string, string> = {}) => parseConfig({ DATA_DIR: "/tmp/mms-bootstrap-test", SERWERSMS_TOKEN: "live-token", ...env });
const liveWithAdmin = (admin = ADMIN) => live({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });

let handle: ReturnType<typeof tempAppDatabase>;
beforeEach(() => {
  handle = tempAppDatabase();
});
afterEach(() => handle.dispose());

const user = (email: string) => handle.db.select().from(users).where(eq(users.email, email)).get();
/** What the sign-in action requires: the account exists, is enabled, and the password verifies. */
async function canSignIn(email: string, password: string): Promise<boolean> {
  const row = user(email);
  return Boolean(row && !row.disabledAt && (await verifyPassword(row.passwordHash, password)));
}
async function start(config: AppConfig) {
  return ensureInitialUsers(handle.db, config, NOW);
}
async function startError(config: AppConfig): Promise<Error> {
  try {
    await start(config);
  } catch (error) {
    return error as Error;
  }
  throw new Error("start-up did not fail");
}

describe("accounts at start-up", () => {
  it("README path: sandbox first, then live credentials on the same data: demo accounts are disabled and signed out, ADMIN_EMAIL is created", async () => {
    const first = await start(sandbox());
    expect(first.createdDemo).toEqual(SANDBOX_DEMO_USERS.map((d) => d.email));
    for (const demo of SANDBOX_DEMO_USERS) {
      expect(user(demo.email)?.isDemo).toBe(true);
      expect(await canSignIn(demo.email, demo.password)).toBe(true);
    }
    const demoSession = createSession(handle.db, user("admin@example.com")!.id, clock).token;

    const second = await start(liveWithAdmin());

    for (const demo of SANDBOX_DEMO_USERS) {
      expect(await canSignIn(demo.email, demo.password), demo.email).toBe(false);
    }
    expect(findSessionUser(handle.db, demoSession, clock)).toBeNull();
    expect(user(ADMIN.email)).toMatchObject({ role: "admin", disabledAt: null, isDemo: false });
    expect(await canSignIn(ADMIN.email, ADMIN.password)).toBe(true);
    expect(describeAccounts(second)).toBe("disabled 3 demo accounts (live mode) and ended 1 session; created admin you@example.com");

    const audit = handle.db.select().from(auditLog).all();
    expect(audit.map((row) => [row.actor, row.action, row.target])).toEqual([
      ["system", "demo_accounts_disabled", null],
      ["system", "user_created", ADMIN.email],
    ]);
    expect(audit[0]?.detail).toMatchObject({ accounts: SANDBOX_DEMO_USERS.map((d) => d.email), sessionsEnded: 1 });

    // The next live start has nothing to do.
    expect(describeAccounts(await start(liveWithAdmin()))).toBe("no changes");
  });

  it("recognises demo accounts from before the demo flag by their published password, and leaves a real person's account alone", async () => {
    const insert = async (email: string, password: string, role: "admin" | "viewer") =>
      handle.db.insert(users).values({ email, name: email, role, passwordHash: await hashPassword(password), createdAt: NOW }).run();
    await insert("admin@example.com", "sandbox-admin", "admin"); // the old demo row, no flag
    await insert("viewer@example.com", "Her-Own-Quiet-Garden-7", "viewer"); // a real person on a demo address

    const report = await start(liveWithAdmin());

    expect(report.markedDemo).toEqual(["admin@example.com"]);
    expect(user("admin@example.com")).toMatchObject({ isDemo: true, disabledAt: NOW });
    expect(await canSignIn("admin@example.com", "sandbox-admin")).toBe(false);
    expect(user("viewer@example.com")).toMatchObject({ isDemo: false, disabledAt: null });
    expect(await canSignIn("viewer@example.com", "Her-Own-Quiet-Garden-7")).toBe(true);
    expect(describeAccounts(report)).toBe(
      "recognised 1 demo account from before the demo flag; disabled 1 demo account (live mode) and ended 0 sessions; created admin you@example.com",
    );
  });

  it("live mode with no usable admin stops with a one-line reason", async () => {
    expect(await startError(live())).toEqual(new ConfigError("No users exist yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin"));
    await start(sandbox());
    const error = await startError(live());
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("No enabled admin account once demo accounts are disabled for live mode: set ADMIN_EMAIL and ADMIN_PASSWORD to create one");
    // It stopped before changing any account (no server runs, so nothing needs disabling yet).
    expect(user("admin@example.com")).toMatchObject({ isDemo: true, disabledAt: null });
  });

  it("refuses a guessable ADMIN_PASSWORD with a one-line reason that does not repeat it", async () => {
    const error = await startError(liveWithAdmin({ email: ADMIN.email, password: "password1234" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^ADMIN_PASSWORD is too easy to guess: This is similar to a commonly used password\./);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain("password1234");
    expect(user(ADMIN.email)).toBeUndefined();
  });

  it("a refused start-up changes no account", async () => {
    await start(sandbox());
    await startError(liveWithAdmin({ email: ADMIN.email, password: "password1234" }));
    expect(user("admin@example.com")).toMatchObject({ isDemo: true, disabledAt: null });
    expect(user(ADMIN.email)).toBeUndefined();
    expect(handle.db.select().from(auditLog).all()).toEqual([]);
  });

  it("an ADMIN_EMAIL that is already an account is re-enabled as admin with ADMIN_PASSWORD, and its old sessions end", async () => {
    const id = Number(
      handle.db
        .insert(users)
        .values({ email: ADMIN.email, name: "You", role: "viewer", passwordHash: await hashPassword("Some-Older-Secret-40"), createdAt: NOW, disabledAt: NOW - 1 })
        .run().lastInsertRowid,
    );
    const old = createSession(handle.db, id, clock).token;

    const report = await start(liveWithAdmin());

    expect(report.restoredAdmin).toBe(ADMIN.email);
    expect(user(ADMIN.email)).toMatchObject({ id, role: "admin", disabledAt: null, isDemo: false });
    expect(await canSignIn(ADMIN.email, ADMIN.password)).toBe(true);
    expect(await canSignIn(ADMIN.email, "Some-Older-Secret-40")).toBe(false);
    expect(findSessionUser(handle.db, old, clock)).toBeNull();
    expect(describeAccounts(report)).toBe("re-enabled you@example.com as admin with ADMIN_PASSWORD");
  });

  it("an ADMIN_EMAIL that is a demo address becomes a real admin whose published password no longer works", async () => {
    await start(sandbox());
    await start(liveWithAdmin({ email: "admin@example.com", password: ADMIN.password }));
    expect(user("admin@example.com")).toMatchObject({ role: "admin", disabledAt: null, isDemo: false });
    expect(await canSignIn("admin@example.com", "sandbox-admin")).toBe(false);
    expect(await canSignIn("admin@example.com", ADMIN.password)).toBe(true);
    expect(await canSignIn("sender@example.com", "sandbox-sender")).toBe(false);
  });

  it("ADMIN_EMAIL is not used while an enabled non-demo admin exists", async () => {
    await start(liveWithAdmin());
    const report = await start(liveWithAdmin({ email: "second@example.com", password: ADMIN.password }));
    expect(user("second@example.com")).toBeUndefined();
    expect(describeAccounts(report)).toBe("no changes");
  });

  it("back in sandbox mode the demo accounts stay disabled (the data may hold real campaigns); an admin can enable them", async () => {
    await start(sandbox());
    await start(liveWithAdmin());
    const report = await start(sandbox());
    expect(report.createdDemo).toEqual([]);
    for (const demo of SANDBOX_DEMO_USERS) expect(await canSignIn(demo.email, demo.password)).toBe(false);
    expect(describeAccounts(report)).toBe("3 demo accounts left disabled (an admin can enable them)");
  });

  it("sandbox mode never creates a demo account over a real person's address", async () => {
    handle.db.insert(users).values({ email: "sender@example.com", name: "Real", role: "sender", passwordHash: await hashPassword("Real-Person-Pass-2026"), createdAt: NOW }).run();
    const report = await start(sandbox());
    expect(report.createdDemo).toEqual(["admin@example.com", "viewer@example.com"]);
    expect(user("sender@example.com")).toMatchObject({ name: "Real", isDemo: false });
  });
});
