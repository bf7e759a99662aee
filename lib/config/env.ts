import "server-only";
import path from "node:path";
import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { ENGINE_DEFAULTS, type EngineSettings } from "@/lib/campaign/engine";
import { AUTO_PAUSE_AFTER_REFUSALS_DEFAULT } from "@/lib/campaign/lifecycle";
import { DEFAULT_RECONCILE_GRACE_MS } from "@/lib/campaign/reconcile";

/** Live SerwerSMS.pl HTTPS API v2 endpoint, used when credentials are set and no URL is given. */
export const SERWERSMS_LIVE_URL = "https://api2.serwersms.pl/";
/** Where the embedded sandbox gateway is mounted inside this app (app/sandbox-api/[...action]/route.ts). */
export const SANDBOX_MOUNT_PATH = "/sandbox-api/";

/** Sandbox credentials when none are configured; documented in the README. */
export const SANDBOX_DEFAULTS = { token: "sandbox-token", username: "demo", password: "demo" } as const;

const optionalText = z.string().trim().min(1).optional();

/**
 * SERWERSMS_UPLOAD_ENCODING (issue 12 item 1): base64 in JSON, a multipart part, or "auto" (base64
 * first, multipart once when the gateway does not read it, remembered per gateway URL).
 */
export const UPLOAD_ENCODING_SETTINGS = ["auto", "base64", "multipart"] as const;
export type UploadEncodingSetting = (typeof UPLOAD_ENCODING_SETTINGS)[number];

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "must be an http(s) URL without credentials in it, e.g. https://api2.serwersms.pl/");

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"], { error: "must be 1/0 or true/false" })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const positiveInt = (max: number) => z.coerce.number({ error: "must be a whole number" }).int().min(0).max(max);

const EnvSchema = z
  .object({
    PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535).default(3000),
    DATA_DIR: z.string().trim().min(1).default("./.data"),
    DATABASE_PATH: optionalText,

    SERWERSMS_API_URL: httpUrl.optional(),
    SERWERSMS_TOKEN: optionalText,
    SERWERSMS_USERNAME: optionalText,
    SERWERSMS_PASSWORD: optionalText,
    SERWERSMS_TIMEOUT_MS: positiveInt(300_000).pipe(z.number().min(1000, "must be at least 1000")).default(30_000),
    /** How disk uploads send `file` to files/add (lib/serwersms/upload.ts): auto learns it per gateway. */
    SERWERSMS_UPLOAD_ENCODING: z.enum(UPLOAD_ENCODING_SETTINGS, { error: "must be auto, base64 or multipart" }).default("auto"),

    /**
     * How many reverse proxies in front of the app append to X-Forwarded-For (and set
     * X-Forwarded-Proto). 0 (default): the client's address is the socket's, and every forwarded
     * header a client sends is ignored, so rotating it cannot dodge a limit.
     */
    TRUST_PROXY_HOPS: positiveInt(10).default(0),
    /** The address people use to reach the dashboard, e.g. https://mms.example.com; https here turns on Secure cookies and HSTS. */
    PUBLIC_URL: httpUrl.optional(),
    /** Audit log rows older than this are pruned by the retention path (lib/audit). */
    AUDIT_RETENTION_DAYS: positiveInt(36_500).pipe(z.number().min(1, "must be at least 1")).default(400),
    /** A session with no request for this long ends, before its absolute 12-hour limit. */
    SESSION_IDLE_MINUTES: positiveInt(12 * 60).pipe(z.number().min(1, "must be at least 1")).default(60),
    /**
     * "Check with gateway" keeps a number the gateway does not report unknown (never retryable) until
     * this long after its batch's request: reports can trail a send (lib/campaign/reconcile.ts).
     * 0 only for a gateway whose reports never lag (the crash test's sandbox).
     */
    RECONCILE_GRACE_MINUTES: positiveInt(24 * 60).default(DEFAULT_RECONCILE_GRACE_MS / 60_000),

    /**
     * The secret path segment of the push route the SerwerSMS panel calls with delivery reports and
     * replies (app/api/push/[secret]/route.ts). Unset: that route answers 404 to everything.
     */
    SERWERSMS_PUSH_SECRET: z
      .string()
      .trim()
      .min(16, "must be at least 16 characters")
      .max(200, "must be at most 200 characters")
      .regex(/^[A-Za-z0-9._~-]+$/, "may hold only letters, digits and . _ ~ - (it is a URL path segment)")
      .optional(),
    /** 0: the server never asks messages/reports by itself (push delivers statuses); the manual refresh stays. */
    DELIVERY_POLLING: flag.default(true),

    /** 0: this instance serves pages only and never sends (a web-only instance); 1 (default): it runs workers too (lib/campaign/engine.ts). */
    WORKERS: flag.default(true),
    /** Send requests in flight at once for the gateway account, over every process sharing the database. */
    GATEWAY_MAX_CONCURRENT_SENDS: positiveInt(32).pipe(z.number().min(1, "must be at least 1")).default(ENGINE_DEFAULTS.maxInFlight),
    /** Optional pace over every process: at most this many send requests per second (0: no pace). */
    GATEWAY_MAX_REQUESTS_PER_SECOND: positiveInt(1000).default(0),
    /** Refused batches in a row after which a campaign pauses itself (lib/campaign/lifecycle.ts). */
    AUTO_PAUSE_AFTER_REFUSALS: positiveInt(1000).pipe(z.number().min(1, "must be at least 1")).default(AUTO_PAUSE_AFTER_REFUSALS_DEFAULT),
    /** How long a worker's claim on a batch holds without renewal; a process that died loses its batches after this. */
    SEND_LEASE_SECONDS: positiveInt(3600).pipe(z.number().min(2, "must be at least 2")).default(ENGINE_DEFAULTS.leaseMs / 1000),
    /** The first wait before the server asks for a campaign's delivery statuses (doubled after each check, up to 30 minutes). */
    DELIVERY_FIRST_CHECK_SECONDS: positiveInt(3600).pipe(z.number().min(1, "must be at least 1")).default(ENGINE_DEFAULTS.deliveryFirstCheckMs / 1000),

    /** An admin, created at start-up whenever no enabled non-demo admin exists (lib/auth/bootstrap.ts checks its strength). */
    ADMIN_EMAIL: z.email("must be an e-mail address").optional(),
    ADMIN_PASSWORD: z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`).optional(),

    SANDBOX_TOKEN: z.string().trim().min(8, "must be at least 8 characters").default(SANDBOX_DEFAULTS.token),
    SANDBOX_USERNAME: z.string().trim().min(1).default(SANDBOX_DEFAULTS.username),
    SANDBOX_PASSWORD: z.string().trim().min(1).default(SANDBOX_DEFAULTS.password),
    /** Serve the embedded sandbox gateway; on by default in sandbox mode, off when live credentials are set. */
    SANDBOX_ENABLED: flag.optional(),
    /**
     * Enables the sandbox's test-only admin endpoint (fault injection, ledger). Never on by default.
     * The sandbox's other settings (SANDBOX_DATA_DIR, _FAULTS, _LATENCY_MS, …) are its own:
     * lib/sandbox/config.ts parses them; this file decides only how the app exposes it.
     */
    SANDBOX_ADMIN: flag.default(false),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.SERWERSMS_USERNAME) !== Boolean(env.SERWERSMS_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: [env.SERWERSMS_USERNAME ? "SERWERSMS_PASSWORD" : "SERWERSMS_USERNAME"],
        message: "SERWERSMS_USERNAME and SERWERSMS_PASSWORD must be set together",
      });
    }
    const hasCredentials = Boolean(env.SERWERSMS_TOKEN || env.SERWERSMS_USERNAME);
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: "custom", path: ["ADMIN_PASSWORD"], message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together" });
    }
    // The sandbox's published defaults are for sandbox mode, where npm start listens on 127.0.0.1
    // (lib/config/listen-host.ts). Served next to live credentials, anyone who can reach the server
    // could use them, and with SANDBOX_ADMIN also rewrite the sandbox's ledger (issue 11 item 5).
    const servedBy = env.SANDBOX_ENABLED === true ? "SANDBOX_ENABLED" : env.SANDBOX_ADMIN ? "SANDBOX_ADMIN" : null;
    if (hasCredentials && servedBy) {
      const atDefault = [
        env.SANDBOX_TOKEN === SANDBOX_DEFAULTS.token ? "SANDBOX_TOKEN" : null,
        env.SANDBOX_USERNAME === SANDBOX_DEFAULTS.username ? "SANDBOX_USERNAME" : null,
        env.SANDBOX_PASSWORD === SANDBOX_DEFAULTS.password ? "SANDBOX_PASSWORD" : null,
      ].filter((key) => key !== null);
      if (atDefault.length > 0) {
        const named = atDefault.length === 1 ? `${atDefault[0]} is` : `${atDefault.slice(0, -1).join(", ")} and ${atDefault.at(-1)} are`;
        ctx.addIssue({
          code: "custom",
          path: [servedBy],
          message: `serves the sandbox next to live SerwerSMS credentials, but ${named} still the published default${atDefault.length === 1 ? "" : "s"}: set values of your own`,
        });
      }
    }
    if (env.SERWERSMS_API_URL && !hasCredentials && httpUrl.safeParse(env.SERWERSMS_API_URL).success) {
      ctx.addIssue({
        code: "custom",
        path: ["SERWERSMS_API_URL"],
        message: "is set but no credentials are: set SERWERSMS_TOKEN, or SERWERSMS_USERNAME and SERWERSMS_PASSWORD",
      });
    }
  });

export type GatewayAuth =
  | { kind: "token"; token: string }
  | { kind: "credentials"; username: string; password: string };

export type GatewayConfig = {
  /** "sandbox" = the gateway double mounted in this app; "live" = any other SerwerSMS-compatible server. */
  mode: "sandbox" | "live";
  baseUrl: string;
  auth: GatewayAuth;
  timeoutMs: number;
  uploadEncoding: UploadEncodingSetting;
  /** Shown in the header; never contains a secret. */
  accountLabel: string;
};

/**
 * How the app exposes its embedded sandbox: whether it is served, its admin endpoint, and the
 * credentials it takes (which the app presents to it in sandbox mode). How the sandbox behaves is
 * its own configuration (lib/sandbox/config.ts).
 */
export type SandboxConfig = {
  /** Whether /sandbox-api/ answers at all. */
  enabled: boolean;
  adminEnabled: boolean;
  token: string;
  username: string;
  password: string;
};

export type HttpConfig = {
  /** Reverse proxies trusted to append X-Forwarded-For / set X-Forwarded-Proto (TRUST_PROXY_HOPS). */
  trustProxyHops: number;
  /** PUBLIC_URL, when set. */
  publicUrl: string | null;
};

/** Delivery reports and replies the gateway pushes to us (issue 12 item 5). */
export type PushConfig = {
  /** SERWERSMS_PUSH_SECRET; null = the push route answers 404. */
  secret: string | null;
  /** DELIVERY_POLLING: whether the server asks messages/reports by itself. */
  polling: boolean;
};

export type AppConfig = {
  port: number;
  http: HttpConfig;
  push: PushConfig;
  auditRetentionDays: number;
  sessionIdleMs: number;
  /** RECONCILE_GRACE_MINUTES in ms. */
  reconcileGraceMs: number;
  /** The send engine of this process (lib/campaign/engine.ts). */
  engine: Omit<EngineSettings, "pollMs" | "autoCheckRetryMs">;
  initialAdmin: { email: string; password: string } | null;
  dataDir: string;
  databasePath: string;
  gateway: GatewayConfig;
  sandbox: SandboxConfig;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** Turns `process.env` into the app's configuration, or throws a ConfigError with a one-line reason. */
export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  // An empty value in a .env file means "not set", not "set to nothing".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => {
      const key = issue.path.join(".") || "environment";
      const shown = typeof cleaned[key] === "string" && !/TOKEN|PASSWORD|SECRET/.test(key) ? ` (got "${cleaned[key]}")` : "";
      return `${key}${shown} ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${reasons.join("; ")}`);
  }
  const env = parsed.data;
  // Data locations are chosen at run time; the comments keep Turbopack from tracing the whole project.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR);

  let gateway: GatewayConfig;
  const configuredAuth: GatewayAuth | null = env.SERWERSMS_TOKEN
    ? { kind: "token", token: env.SERWERSMS_TOKEN }
    : env.SERWERSMS_USERNAME && env.SERWERSMS_PASSWORD
      ? { kind: "credentials", username: env.SERWERSMS_USERNAME, password: env.SERWERSMS_PASSWORD }
      : null;

  const sandbox: SandboxConfig = {
    enabled: env.SANDBOX_ENABLED ?? !configuredAuth,
    token: env.SANDBOX_TOKEN,
    username: env.SANDBOX_USERNAME,
    password: env.SANDBOX_PASSWORD,
    adminEnabled: env.SANDBOX_ADMIN,
  };

  if (configuredAuth) {
    const baseUrl = withTrailingSlash(env.SERWERSMS_API_URL ?? SERWERSMS_LIVE_URL);
    const host = new URL(baseUrl).host;
    const who = configuredAuth.kind === "credentials" ? `user ${configuredAuth.username}` : "API token";
    gateway = {
      mode: "live",
      baseUrl,
      auth: configuredAuth,
      timeoutMs: env.SERWERSMS_TIMEOUT_MS,
      uploadEncoding: env.SERWERSMS_UPLOAD_ENCODING,
      accountLabel: host === new URL(SERWERSMS_LIVE_URL).host ? who : `${who} @ ${host}`,
    };
  } else {
    gateway = {
      mode: "sandbox",
      baseUrl: `http://127.0.0.1:${env.PORT}${SANDBOX_MOUNT_PATH}`,
      auth: { kind: "token", token: sandbox.token },
      timeoutMs: env.SERWERSMS_TIMEOUT_MS,
      uploadEncoding: env.SERWERSMS_UPLOAD_ENCODING,
      accountLabel: "embedded sandbox",
    };
  }

  return {
    port: env.PORT,
    http: { trustProxyHops: env.TRUST_PROXY_HOPS, publicUrl: env.PUBLIC_URL ?? null },
    push: { secret: env.SERWERSMS_PUSH_SECRET ?? null, polling: env.DELIVERY_POLLING },
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    sessionIdleMs: env.SESSION_IDLE_MINUTES * 60_000,
    reconcileGraceMs: env.RECONCILE_GRACE_MINUTES * 60_000,
    engine: {
      enabled: env.WORKERS,
      maxInFlight: env.GATEWAY_MAX_CONCURRENT_SENDS,
      minIntervalMs: env.GATEWAY_MAX_REQUESTS_PER_SECOND > 0 ? Math.ceil(1000 / env.GATEWAY_MAX_REQUESTS_PER_SECOND) : 0,
      leaseMs: env.SEND_LEASE_SECONDS * 1000,
      autoPauseAfterRefusals: env.AUTO_PAUSE_AFTER_REFUSALS,
      deliveryFirstCheckMs: env.DELIVERY_FIRST_CHECK_SECONDS * 1000,
      deliveryPolling: env.DELIVERY_POLLING,
    },
    initialAdmin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL.toLowerCase(), password: env.ADMIN_PASSWORD } : null,
    dataDir,
    databasePath: path.resolve(/*turbopackIgnore: true*/ env.DATABASE_PATH ?? path.join(dataDir, "app.db")),
    gateway,
    sandbox,
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed once. Throws ConfigError on a bad value. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
