import { spawn } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "./support/fixtures";

/** Starts the built server with `env` and collects its output until it exits (or 30 s pass). */
function startWith(env: Record<string, string>, port: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATA_DIR: `.data-e2e-startup-${port}`, ...env },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

for (const [name, env, reason] of [
  ["a gateway URL that is not a URL", { SERWERSMS_API_URL: "not-a-url", SERWERSMS_TOKEN: "t" }, 'SERWERSMS_API_URL (got "not-a-url") must be an http(s) URL'],
  ["live credentials but no first admin", { SERWERSMS_TOKEN: "some-token" }, "No users exist yet: set ADMIN_EMAIL and ADMIN_PASSWORD"],
  ["a password without its user name", { SERWERSMS_PASSWORD: "secret-value" }, "SERWERSMS_USERNAME and SERWERSMS_PASSWORD must be set together"],
  [
    "live credentials and the sandbox served with its demo credentials",
    { SERWERSMS_TOKEN: "secret-value", SANDBOX_ENABLED: "1", ADMIN_EMAIL: "boss@example.com", ADMIN_PASSWORD: "a-long-password-1" },
    'SANDBOX_ENABLED (got "1") serves the sandbox next to live SerwerSMS credentials, but SANDBOX_TOKEN, SANDBOX_USERNAME and SANDBOX_PASSWORD are still the published defaults',
  ],
  ["a guessable ADMIN_PASSWORD", { SERWERSMS_TOKEN: "some-token", ADMIN_EMAIL: "boss@example.com", ADMIN_PASSWORD: "password1234" }, "ADMIN_PASSWORD is too easy to guess: This is similar to a commonly used password."],
] as const) {
  test(`start-up with ${name} stops with a one-line reason, not a stack trace`, async () => {
    const port = 3140 + name.length;
    const { code, output } = await startWith(env, port);
    fs.rmSync(`.data-e2e-startup-${port}`, { recursive: true, force: true });
    expect(code).toBe(1);
    const lines = output.split("\n").filter((line) => line.includes("MMS dashboard cannot start"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(reason);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain("secret-value");
  });
}
