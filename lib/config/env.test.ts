import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, SERWERSMS_LIVE_URL } from "./env";

/** The one-line reason parseConfig refuses `env` with (it must refuse with a ConfigError). */
function configRefusal(env: Record<string, string>): string {
  let error: unknown;
  try {
    parseConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

const OWN_SANDBOX_CREDENTIALS = { SANDBOX_TOKEN: "own-sandbox-token-7", SANDBOX_USERNAME: "sandbox-user-7", SANDBOX_PASSWORD: "own-sandbox-pass-7" };

describe("configuration", () => {
  it("defaults to the embedded sandbox when no credentials are set", () => {
    const config = parseConfig({ PORT: "3100", DATA_DIR: "/tmp/x" });
    expect(config.gateway.mode).toBe("sandbox");
    expect(config.gateway.baseUrl).toBe("http://127.0.0.1:3100/sandbox-api/");
    expect(config.gateway.auth).toEqual({ kind: "token", token: "sandbox-token" });
    expect(config.databasePath).toBe("/tmp/x/app.db");
    // Where the sandbox keeps its ledger is its own setting now: lib/server/embedded-sandbox.test.ts.
    expect(config.sandbox.adminEnabled).toBe(false);
  });

  it("uses the live gateway with a token, and any compatible server given by URL", () => {
    const live = parseConfig({ SERWERSMS_TOKEN: "abc123" });
    expect(live.gateway).toMatchObject({ mode: "live", baseUrl: SERWERSMS_LIVE_URL, accountLabel: "API token" });
    const other = parseConfig({ SERWERSMS_API_URL: "https://sms.example.net/api", SERWERSMS_USERNAME: "u1", SERWERSMS_PASSWORD: "p1" });
    expect(other.gateway).toMatchObject({
      mode: "live",
      baseUrl: "https://sms.example.net/api/",
      auth: { kind: "credentials", username: "u1", password: "p1" },
      accountLabel: "user u1 @ sms.example.net",
    });
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ SERWERSMS_TOKEN: "", SERWERSMS_API_URL: "  " }).gateway.mode).toBe("sandbox");
  });

  it.each([
    [{ SERWERSMS_API_URL: "not-a-url", SERWERSMS_TOKEN: "t" }, /SERWERSMS_API_URL \(got "not-a-url"\) must be an http\(s\) URL/],
    [{ SERWERSMS_API_URL: "ftp://x.example/", SERWERSMS_TOKEN: "t" }, /must be an http\(s\) URL/],
    [{ SERWERSMS_API_URL: "https://user:pw@x.example/", SERWERSMS_TOKEN: "t" }, /without credentials/],
    [{ SERWERSMS_API_URL: "https://x.example/" }, /no credentials are/],
    [{ SERWERSMS_USERNAME: "only-user" }, /must be set together/],
    [{ PORT: "http" }, /PORT \(got "http"\) must be a port number/],
    [{ SANDBOX_ADMIN: "maybe" }, /SANDBOX_ADMIN .* must be 1\/0 or true\/false/],
    [{ ADMIN_EMAIL: "boss@example.com", ADMIN_PASSWORD: "short" }, /ADMIN_PASSWORD must be at least 12 characters/],
  ])("refuses %j with a one-line reason", (env, reason) => {
    const message = configRefusal(env);
    expect(message).toMatch(reason);
    expect(message).not.toContain("\n");
  });

  it("never echoes secrets in its messages", () => {
    expect(() => parseConfig({ SERWERSMS_PASSWORD: "hunter2-secret" })).toThrow(ConfigError);
    try {
      parseConfig({ SERWERSMS_PASSWORD: "hunter2-secret" });
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2-secret");
    }
  });
});

describe("sandbox settings", () => {
  it("serves the sandbox by default only in sandbox mode", () => {
    expect(parseConfig({}).sandbox.enabled).toBe(true);
    expect(parseConfig({ SERWERSMS_TOKEN: "t" }).sandbox.enabled).toBe(false);
    // With live credentials the sandbox needs credentials of its own (see the next test).
    expect(parseConfig({ SERWERSMS_TOKEN: "t", SANDBOX_ENABLED: "1", ...OWN_SANDBOX_CREDENTIALS }).sandbox.enabled).toBe(true);
  });

  it.each([
    [{ SERWERSMS_TOKEN: "live-token-1", SANDBOX_ENABLED: "1" }, "SANDBOX_ENABLED", "SANDBOX_TOKEN, SANDBOX_USERNAME and SANDBOX_PASSWORD are"],
    [{ SERWERSMS_USERNAME: "api", SERWERSMS_PASSWORD: "live-pass-1", SANDBOX_ADMIN: "1" }, "SANDBOX_ADMIN", "SANDBOX_TOKEN, SANDBOX_USERNAME and SANDBOX_PASSWORD are"],
    [{ SERWERSMS_TOKEN: "live-token-1", SANDBOX_ENABLED: "1", ...OWN_SANDBOX_CREDENTIALS, SANDBOX_TOKEN: "sandbox-token" }, "SANDBOX_ENABLED", "SANDBOX_TOKEN is"],
    [{ SERWERSMS_TOKEN: "live-token-1", SANDBOX_ENABLED: "1", ...OWN_SANDBOX_CREDENTIALS, SANDBOX_USERNAME: "demo" }, "SANDBOX_ENABLED", "SANDBOX_USERNAME is"],
    [{ SERWERSMS_TOKEN: "live-token-1", SANDBOX_ADMIN: "1", ...OWN_SANDBOX_CREDENTIALS, SANDBOX_PASSWORD: "demo" }, "SANDBOX_ADMIN", "SANDBOX_PASSWORD is"],
  ])("refuses to serve the sandbox next to live credentials with its published default credentials: %j", (env, key, which) => {
    const message = configRefusal(env);
    expect(message).toContain(`${key} (got "1") serves the sandbox next to live SerwerSMS credentials, but ${which} still the published default`);
    expect(message).not.toContain("\n");
    for (const secret of ["live-token-1", "live-pass-1", OWN_SANDBOX_CREDENTIALS.SANDBOX_TOKEN, OWN_SANDBOX_CREDENTIALS.SANDBOX_PASSWORD]) {
      expect(message).not.toContain(secret);
    }
  });

  it("keeps the published defaults where they are harmless", () => {
    // Sandbox mode: the demo credentials are the point (README), and npm start listens on 127.0.0.1 only.
    expect(parseConfig({ SANDBOX_ADMIN: "1" }).sandbox).toMatchObject({ token: "sandbox-token", username: "demo", password: "demo", adminEnabled: true });
    // Live mode with the sandbox off: nothing answers with those credentials.
    expect(parseConfig({ SERWERSMS_TOKEN: "t", SANDBOX_ENABLED: "0" }).sandbox.enabled).toBe(false);
    expect(parseConfig({ SERWERSMS_TOKEN: "t", SANDBOX_ENABLED: "1", SANDBOX_ADMIN: "1", ...OWN_SANDBOX_CREDENTIALS }).sandbox).toMatchObject({
      enabled: true,
      adminEnabled: true,
      token: OWN_SANDBOX_CREDENTIALS.SANDBOX_TOKEN,
      username: OWN_SANDBOX_CREDENTIALS.SANDBOX_USERNAME,
      password: OWN_SANDBOX_CREDENTIALS.SANDBOX_PASSWORD,
    });
  });

  // SANDBOX_FAULTS is the sandbox's own setting now: lib/sandbox/config.test.ts parses and refuses it.
});

describe("upload encoding", () => {
  it("defaults to auto and takes base64 or multipart (SERWERSMS_UPLOAD_ENCODING)", () => {
    expect(parseConfig({}).gateway.uploadEncoding).toBe("auto");
    expect(parseConfig({ SERWERSMS_TOKEN: "t", SERWERSMS_UPLOAD_ENCODING: "base64" }).gateway.uploadEncoding).toBe("base64");
    expect(parseConfig({ SERWERSMS_UPLOAD_ENCODING: "multipart" }).gateway.uploadEncoding).toBe("multipart");
    expect(() => parseConfig({ SERWERSMS_UPLOAD_ENCODING: "json" })).toThrow(
      'Invalid configuration: SERWERSMS_UPLOAD_ENCODING (got "json") must be auto, base64 or multipart',
    );
  });
});

describe("reconcile grace period", () => {
  it("defaults to 15 minutes, takes whole minutes (0 for a gateway whose reports never lag) and refuses anything else", () => {
    expect(parseConfig({}).reconcileGraceMs).toBe(15 * 60_000);
    expect(parseConfig({ RECONCILE_GRACE_MINUTES: "0" }).reconcileGraceMs).toBe(0);
    expect(parseConfig({ RECONCILE_GRACE_MINUTES: "60" }).reconcileGraceMs).toBe(3_600_000);
    expect(() => parseConfig({ RECONCILE_GRACE_MINUTES: "-1" })).toThrow(/RECONCILE_GRACE_MINUTES \(got "-1"\)/);
    expect(() => parseConfig({ RECONCILE_GRACE_MINUTES: "soon" })).toThrow(/RECONCILE_GRACE_MINUTES \(got "soon"\) must be a whole number/);
  });
});

describe("push settings (issue 12 item 5)", () => {
  it("is off without a secret and polls by default", () => {
    expect(parseConfig({}).push).toEqual({ secret: null, polling: true });
  });

  it("takes a secret of at least 16 URL-safe characters and DELIVERY_POLLING=0", () => {
    expect(parseConfig({ SERWERSMS_PUSH_SECRET: "0123456789abcdef", DELIVERY_POLLING: "0" }).push).toEqual({ secret: "0123456789abcdef", polling: false });
  });

  it.each([
    [{ SERWERSMS_PUSH_SECRET: "short-secret" }, /SERWERSMS_PUSH_SECRET must be at least 16 characters/],
    [{ SERWERSMS_PUSH_SECRET: "has/a/slash/in/it/0123" }, /SERWERSMS_PUSH_SECRET may hold only/],
    [{ DELIVERY_POLLING: "sometimes" }, /DELIVERY_POLLING .* must be 1\/0 or true\/false/],
  ])("refuses %j without echoing the secret", (env: Record<string, string>, reason) => {
    expect(() => parseConfig(env)).toThrow(reason);
    try {
      parseConfig(env);
    } catch (e) {
      if (env.SERWERSMS_PUSH_SECRET) expect((e as Error).message).not.toContain(env.SERWERSMS_PUSH_SECRET);
    }
  });
});
