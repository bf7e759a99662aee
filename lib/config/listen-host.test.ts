import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { listenHost } from "./listen-host";

describe("the address npm start listens on", () => {
  it.each([
    ["sandbox mode: localhost only (the demo credentials are public)", {}, "127.0.0.1"],
    ["sandbox mode with empty credential variables", { SERWERSMS_TOKEN: " ", SERWERSMS_USERNAME: "" }, "127.0.0.1"],
    ["sandbox mode, HOST set", { HOST: "0.0.0.0" }, "0.0.0.0"],
    ["live mode with a token: Next's default (all interfaces)", { SERWERSMS_TOKEN: "t" }, null],
    ["live mode with an API user", { SERWERSMS_USERNAME: "u", SERWERSMS_PASSWORD: "p" }, null],
    ["live mode, HOST set", { SERWERSMS_TOKEN: "t", HOST: "10.0.0.5" }, "10.0.0.5"],
    ["a configuration that will not start: never wider than localhost", { SERWERSMS_PASSWORD: "p" }, "127.0.0.1"],
    ["a blank HOST means unset", { HOST: "  " }, "127.0.0.1"],
  ])("%s", (_label, env, expected) => {
    expect(listenHost(env)).toBe(expected);
  });

  it("is what scripts/listen-host.ts prints for scripts/start.sh", () => {
    const run = (env: Record<string, string>) =>
      execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/listen-host.ts"], {
        // Blank means unset (lib/config/env.ts), so the outer shell's settings cannot leak in.
        env: { ...process.env, SERWERSMS_TOKEN: "", SERWERSMS_USERNAME: "", SERWERSMS_PASSWORD: "", HOST: "", ...env },
        encoding: "utf8",
      });
    expect(run({})).toBe("127.0.0.1");
    expect(run({ SERWERSMS_TOKEN: "t" })).toBe("");
    expect(run({ SERWERSMS_TOKEN: "t", HOST: "::" })).toBe("::");
  });
});
