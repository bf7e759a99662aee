import "server-only";
import { ensureInitialUsers } from "@/lib/auth/bootstrap";
import { ConfigError, getConfig } from "@/lib/config/env";
import { getCampaignService } from "@/lib/campaign";
import { getAppDb } from "@/lib/db";
import { SandboxConfigError } from "@/lib/sandbox/config";
import { embeddedSandboxOptions } from "@/lib/server/embedded-sandbox";

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
    const created = await ensureInitialUsers(db, config);
    const gateway =
      config.gateway.mode === "sandbox"
        ? `embedded sandbox at ${config.gateway.baseUrl}`
        : `SerwerSMS live at ${config.gateway.baseUrl} (${config.gateway.accountLabel})`;
    console.log(`MMS dashboard: gateway = ${gateway}; database = ${config.databasePath}`);
    if (created.length > 0) console.log(`MMS dashboard: created users ${created.join(", ")}`);
    // A previous process may have died mid-campaign: make that visible instead of leaving it "sending".
    const interrupted = getCampaignService().recoverAfterRestart();
    if (interrupted.length > 0) console.log(`MMS dashboard: ${interrupted.length} campaign(s) were interrupted by a restart and can be resumed`);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SandboxConfigError) {
      console.error(`MMS dashboard cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
