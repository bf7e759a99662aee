import { createSandbox } from "@/lib/sandbox/sandbox";
import type { Sandbox, SandboxOptions } from "@/lib/sandbox/types";

/*
 * Next bundles route handlers and server actions as separate entries, so module state is not shared
 * between them (toolchain notes, gotcha 2). The one sandbox (one SQLite handle) lives on globalThis.
 */
const GLOBAL_KEY = Symbol.for("serwersms-sandbox.embedded");
type GlobalWithSandbox = typeof globalThis & { [GLOBAL_KEY]?: Sandbox };

/**
 * The one sandbox gateway of this process, built on first use from `options()`. The caller composes
 * the options (app/sandbox-api: the app's exposure settings plus lib/sandbox/config.ts), so the
 * sandbox itself never reads the app's configuration.
 */
export function getEmbeddedSandbox(options: () => SandboxOptions): Sandbox {
  const holder = globalThis as GlobalWithSandbox;
  holder[GLOBAL_KEY] ??= createSandbox(options());
  return holder[GLOBAL_KEY];
}
