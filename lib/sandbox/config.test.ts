import { describe, expect, it } from "vitest";
import { parseSandboxSettings, SandboxConfigError } from "./config";

const parse = (env: Record<string, string | undefined>) => parseSandboxSettings(env, { dataDir: "/tmp/x" });

function refusal(env: Record<string, string | undefined>): string {
  try {
    parse(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("the sandbox's own settings (lib/sandbox/config.ts)", () => {
  it("keeps its data under <dataDir>/sandbox unless SANDBOX_DATA_DIR says otherwise", () => {
    expect(parse({})).toEqual({
      dataDir: "/tmp/x/sandbox",
      dbPath: "/tmp/x/sandbox/gateway.db",
      latencyMs: 0,
      mmsLimit: 1_000_000,
      urlAllowlist: [],
      uploadEncodings: "both",
      faults: undefined,
    });
    expect(parse({ SANDBOX_DATA_DIR: "/srv/gw", SANDBOX_LATENCY_MS: "100", SANDBOX_MMS_LIMIT: "5", SANDBOX_URL_ALLOWLIST: "127.0.0.1, Files.Local" })).toMatchObject({
      dataDir: "/srv/gw",
      dbPath: "/srv/gw/gateway.db",
      latencyMs: 100,
      mmsLimit: 5,
      urlAllowlist: ["127.0.0.1", "files.local"],
    });
    // An empty value in a .env file means "not set".
    expect(parse({ SANDBOX_DATA_DIR: " ", SANDBOX_UPLOAD_ENCODINGS: "" })).toMatchObject({ dataDir: "/tmp/x/sandbox", uploadEncodings: "both" });
  });

  it("parses a fault plan and refuses a bad one in one line", () => {
    const plan = parse({ SANDBOX_FAULTS: '{"latencyMs":100,"rules":[{"action":"messages/send_mms","nth":[3],"kind":"http500"}]}' });
    expect(plan.faults).toEqual({ latencyMs: 100, rules: [{ action: "messages/send_mms", nth: [3], kind: "http500" }] });
    expect(refusal({ SANDBOX_FAULTS: "{oops" })).toMatch(/^Invalid sandbox configuration: SANDBOX_FAULTS \(got "\{oops"\) must be JSON/);
    expect(refusal({ SANDBOX_FAULTS: '{"rules":[{"kind":"explode"}]}' })).toMatch(/not a valid fault plan/);
  });

  it("takes the upload encodings a test gateway accepts: both (default), base64 or multipart", () => {
    expect(parse({ SANDBOX_UPLOAD_ENCODINGS: "base64" }).uploadEncodings).toBe("base64");
    expect(parse({ SANDBOX_UPLOAD_ENCODINGS: "multipart" }).uploadEncodings).toBe("multipart");
    expect(refusal({ SANDBOX_UPLOAD_ENCODINGS: "json" })).toBe('Invalid sandbox configuration: SANDBOX_UPLOAD_ENCODINGS (got "json") must be one of both, base64, multipart');
  });

  it("takes the URL the sandbox pushes reports and replies to (SANDBOX_PUSH_URL)", () => {
    expect(parse({ SANDBOX_PUSH_URL: "http://127.0.0.1:3000/api/push/x" }).pushUrl).toBe("http://127.0.0.1:3000/api/push/x");
    expect(parse({}).pushUrl).toBeUndefined();
    expect(refusal({ SANDBOX_PUSH_URL: "ftp://x.example/" })).toMatch(/SANDBOX_PUSH_URL .* must be an http\(s\) URL/);
  });

  it.each([
    [{ SANDBOX_LATENCY_MS: "soon" }, /SANDBOX_LATENCY_MS \(got "soon"\) must be a whole number/],
    [{ SANDBOX_MMS_LIMIT: "-1" }, /SANDBOX_MMS_LIMIT/],
  ])("refuses %j with a one-line reason", (env, reason) => {
    const message = refusal(env);
    expect(message).toMatch(reason);
    expect(message).not.toContain("\n");
  });
});
