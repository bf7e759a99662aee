import { getConfig } from "@/lib/config/env";
import { createSandbox } from "@/lib/sandbox/sandbox";
import type { Sandbox, SandboxOptions } from "@/lib/sandbox/types";

/*
 * Next bundles route handlers and server actions as separate entries, so module state is not shared
 * between them (toolchain notes, gotcha 2). The one sandbox (one SQLite handle) lives on globalThis.
 */
const GLOBAL_KEY = Symbol.for("serwersms-sandbox.embedded");
type GlobalWithSandbox = typeof globalThis & { [GLOBAL_KEY]?: Sandbox };

/** The sandbox gateway the app mounts at /sandbox-api/, configured from the environment. */
export function getEmbeddedSandbox(): Sandbox {
  const holder = globalThis as GlobalWithSandbox;
  if (!holder[GLOBAL_KEY]) {
    // SandboxConfig's fields carry the same names as SandboxOptions, so new settings pass straight through.
    const options: SandboxOptions = { ...getConfig().sandbox };
    holder[GLOBAL_KEY] = createSandbox(options);
  }
  return holder[GLOBAL_KEY];
}
