import path from "node:path";
import { z } from "zod";
import { FaultPlanSchema } from "@/lib/sandbox/faults";
import { UPLOAD_ENCODINGS, type SandboxOptions } from "@/lib/sandbox/types";

/*
 * The sandbox's own settings, parsed here so that it stands alone (issue 12 item 6): the app's
 * configuration (lib/config/env.ts) does not know them. What the app does decide is how the sandbox
 * is exposed, because that is a question about the app's own server and its live credentials:
 * whether /sandbox-api/ is served (SANDBOX_ENABLED), its admin endpoint (SANDBOX_ADMIN), and the
 * credentials it takes, which the app also presents to it in sandbox mode (SANDBOX_TOKEN,
 * SANDBOX_USERNAME, SANDBOX_PASSWORD). Everything about how the double behaves is parsed here.
 */

/** The behaviour settings of a sandbox; the caller adds the credentials and the admin switch. */
export type SandboxSettings = Required<Pick<SandboxOptions, "dataDir" | "dbPath" | "latencyMs" | "mmsLimit" | "urlAllowlist" | "uploadEncodings">> &
  Pick<SandboxOptions, "faults" | "pushUrl">;

export class SandboxConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxConfigError";
  }
}

const wholeNumber = (max: number) => z.coerce.number({ error: "must be a whole number" }).int().min(0).max(max);

const SettingsSchema = z.object({
  SANDBOX_DATA_DIR: z.string().trim().min(1).optional(),
  SANDBOX_LATENCY_MS: wholeNumber(60_000).default(0),
  SANDBOX_MMS_LIMIT: wholeNumber(100_000_000).default(1_000_000),
  /** A fault plan (JSON, see lib/sandbox/faults.ts), for tests and benchmarks. */
  SANDBOX_FAULTS: z
    .string()
    .transform((text, ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON, e.g. {\"latencyMs\":100,\"rules\":[]}" });
        return z.NEVER;
      }
      const plan = FaultPlanSchema.safeParse(json);
      if (!plan.success) {
        ctx.addIssue({ code: "custom", message: `is not a valid fault plan: ${plan.error.issues[0]?.message ?? "invalid"}` });
        return z.NEVER;
      }
      return plan.data;
    })
    .optional(),
  /** Hosts the sandbox may fetch for files/add by URL even though they are loopback/private (tests only). */
  SANDBOX_URL_ALLOWLIST: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean)),
  /**
   * Which encodings of a disk upload (files/add `file`) the sandbox reads, so tests can stand in for a
   * gateway that takes only one of them (issue 12 item 1): the other then answers 2000, as if `file`
   * were missing.
   */
  /** Where the sandbox pushes delivery reports and injected replies, like the SerwerSMS panel's push URL (lib/sandbox/push.ts). */
  SANDBOX_PUSH_URL: z
    .string()
    .trim()
    .refine((value) => {
      try {
        return ["http:", "https:"].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, "must be an http(s) URL")
    .optional(),
  SANDBOX_UPLOAD_ENCODINGS: z.enum(UPLOAD_ENCODINGS, { error: `must be one of ${UPLOAD_ENCODINGS.join(", ")}` }).default("both"),
});

/**
 * The sandbox's settings from an environment. `dataDir` is where its data lives unless
 * SANDBOX_DATA_DIR says otherwise (the app passes `$DATA_DIR`; files and gateway.db go to `<it>/sandbox`).
 * Throws SandboxConfigError with a one-line reason.
 */
export function parseSandboxSettings(source: Record<string, string | undefined>, defaults: { dataDir: string }): SandboxSettings {
  // An empty value in a .env file means "not set", not "set to nothing" (as in lib/config/env.ts).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = SettingsSchema.safeParse(cleaned);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => {
      const key = issue.path.join(".") || "environment";
      const shown = typeof cleaned[key] === "string" ? ` (got "${cleaned[key]}")` : "";
      return `${key}${shown} ${issue.message}`;
    });
    throw new SandboxConfigError(`Invalid sandbox configuration: ${reasons.join("; ")}`);
  }
  const env = parsed.data;
  // Chosen at run time; the comment keeps Turbopack from tracing the whole project.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.SANDBOX_DATA_DIR ?? path.join(defaults.dataDir, "sandbox"));
  return {
    dataDir,
    dbPath: path.join(dataDir, "gateway.db"),
    latencyMs: env.SANDBOX_LATENCY_MS,
    mmsLimit: env.SANDBOX_MMS_LIMIT,
    urlAllowlist: env.SANDBOX_URL_ALLOWLIST,
    uploadEncodings: env.SANDBOX_UPLOAD_ENCODINGS,
    faults: env.SANDBOX_FAULTS,
    pushUrl: env.SANDBOX_PUSH_URL,
  };
}
