import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { embeddedSandboxOptions } from "./embedded-sandbox";

describe("the embedded sandbox's options", () => {
  it("joins the app's exposure settings with the sandbox's own, under $DATA_DIR/sandbox", () => {
    const env = { PORT: "3100", DATA_DIR: "/tmp/x", SANDBOX_ADMIN: "1", SANDBOX_LATENCY_MS: "25", SANDBOX_UPLOAD_ENCODINGS: "multipart" };
    expect(embeddedSandboxOptions(parseConfig(env), env)).toEqual({
      dataDir: "/tmp/x/sandbox",
      dbPath: "/tmp/x/sandbox/gateway.db",
      adminEnabled: true,
      token: "sandbox-token",
      username: "demo",
      password: "demo",
      latencyMs: 25,
      mmsLimit: 1_000_000,
      urlAllowlist: [],
      uploadEncodings: "multipart",
      faults: undefined,
    });
  });
});
