import "server-only";
import { pruneAuditLog } from "@/lib/audit/retention";
import { describeAccounts, ensureInitialUsers } from "@/lib/auth/bootstrap";
import { pruneSessions } from "@/lib/auth/sessions";
import { type AppConfig, ConfigError, getConfig } from "@/lib/config/env";
import { getCampaignService } from "@/lib/campaign";
import { type AppDatabase, getAppDb } from "@/lib/db";
import { SandboxConfigError } from "@/lib/sandbox/config";
import { embeddedSandboxOptions } from "@/lib/server/embedded-sandbox";
import { installGracefulStop } from "@/lib/server/graceful-stop";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Audit retention and session pruning: at start-up, then once a day. A failure is logged, never fatal. */
function runMaintenance(db: AppDatabase, config: AppConfig): void {
  try {
    const now = Date.now();
    const pruned = pruneAuditLog(db, now, config.auditRetentionDays);
    pruneSessions(db, { now, idleMs: config.sessionIdleMs });
    if (pruned.auditDeleted > 0 || pruned.signInFailuresDeleted > 0) {
      console.log(
        `MMS dashboard: audit retention (${config.auditRetentionDays} days) removed ${pruned.auditDeleted} audit entries and ${pruned.signInFailuresDeleted} sign-in failure records older than ${new Date(pruned.cutoff).toISOString()}`,
      );
    }
  } catch (error) {
    console.error("MMS dashboard: maintenance (audit retention, session pruning) failed; it runs again in a day:", error instanceof Error ? error.message : error);
  }
}

const holder = globalThis as typeof globalThis & { __mmsMaintenance?: NodeJS.Timeout };

/**
 * Runs once when the Node server starts (instrumentation.ts). A bad configuration stops the
 * process with a one-line reason instead of a stack trace on the first request.
 */
export async function startServer(): Promise<void> {
  try {
    const config = getConfig();
    // The sandbox's own settings are parsed when it is served, so a bad one stops start-up too
    // instead of failing the first gateway call.
    if (config.sandbox.enabled) embeddedSandboxOptions(config);
    const db = getAppDb();
    const accounts = await ensureInitialUsers(db, config);
    const gateway =
      config.gateway.mode === "sandbox"
        ? `embedded sandbox at ${config.gateway.baseUrl}`
        : `SerwerSMS live at ${config.gateway.baseUrl} (${config.gateway.accountLabel})`;
    console.log(`MMS dashboard: gateway = ${gateway}; database = ${config.databasePath}`);
    console.log(`MMS dashboard: accounts: ${describeAccounts(accounts)}`);
    runMaintenance(db, config);
    // unref: the timer never keeps a stopping process alive.
    holder.__mmsMaintenance ??= setInterval(() => runMaintenance(db, config), DAY_MS).unref();
    // The workers go on with whatever the database holds: campaigns another process (or this one
    // before a restart) was sending, batches whose sender died (looked up, never resent blindly).
    const service = getCampaignService();
    // Next leaves SIGTERM/SIGINT to us under NEXT_MANUAL_SIG_HANDLE (scripts/start.sh): drain, then exit.
    if (process.env.NEXT_MANUAL_SIG_HANDLE) installGracefulStop(() => service.stopWorkers(), "the server");
    if (config.engine.enabled) {
      service.startWorkers();
      const { maxInFlight, minIntervalMs } = config.engine;
      console.log(
        `MMS dashboard: workers on (${service.workerId}); at most ${maxInFlight} send request(s) in flight for the gateway account${minIntervalMs > 0 ? `, one every ${minIntervalMs} ms` : ""}, over every instance`,
      );
    } else console.log("MMS dashboard: workers off (WORKERS=0): this instance stores campaigns, other instances send them");
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SandboxConfigError) {
      console.error(`MMS dashboard cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
