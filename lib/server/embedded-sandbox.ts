import "server-only";
import type { AppConfig } from "@/lib/config/env";
import { parseSandboxSettings } from "@/lib/sandbox/config";
import type { SandboxOptions } from "@/lib/sandbox/types";

/**
 * The options of the sandbox this app embeds at /sandbox-api/: how the app exposes it (lib/config/env.ts:
 * admin endpoint, credentials) plus the sandbox's own settings (lib/sandbox/config.ts), whose data
 * lives under `$DATA_DIR/sandbox` unless SANDBOX_DATA_DIR says otherwise. Throws SandboxConfigError.
 */
export function embeddedSandboxOptions(config: AppConfig, env: Record<string, string | undefined> = process.env): SandboxOptions {
  const { adminEnabled, token, username, password } = config.sandbox;
  return { ...parseSandboxSettings(env, { dataDir: config.dataDir }), adminEnabled, token, username, password };
}
