import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, PNG_BYTES } from "@/tests/support/sandbox";

const GLOBAL_KEY = Symbol.for("serwersms-sandbox.embedded");
let dir: string;

beforeAll(() => {
  dir = makeTempDir();
  // getConfig() reads these once, on the first call below.
  process.env.DATA_DIR = dir;
  process.env.SANDBOX_TOKEN = "embedded-test-token";
});
afterAll(() => {
  const holder = globalThis as Record<symbol, { close(): void } | undefined>;
  holder[GLOBAL_KEY]?.close();
  delete holder[GLOBAL_KEY];
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the Next route and the embedded singleton", () => {
  it("delegates POST and GET to one shared sandbox built from the environment", async () => {
    const route = await import("@/app/sandbox-api/[...action]/route");
    const { getEmbeddedSandbox } = await import("@/lib/sandbox/embedded");
    expect(route.dynamic).toBe("force-dynamic");
    // Built once, by the route, from the app's exposure settings and the sandbox's own (lib/sandbox/config.ts).
    const embedded = () => getEmbeddedSandbox(() => {
      throw new Error("the route should have built the sandbox already");
    });

    const context = (action: string[]) => ({ params: Promise.resolve({ action }) });
    const post = (action: string[], body: unknown) =>
      route.POST(
        new Request(`http://localhost/sandbox-api/${action.join("/")}`, {
          method: "POST",
          headers: { authorization: "Bearer embedded-test-token", "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        context(action),
      );

    const upload = (await (await post(["files", "add.json"], { type: "mms", file: PNG_BYTES.toString("base64") })).json()) as { id: string };
    expect(upload.id).toMatch(/^[0-9a-f]{10}$/);
    expect(fs.existsSync(path.join(dir, "sandbox", "files", upload.id))).toBe(true);
    expect(fs.existsSync(path.join(dir, "sandbox", "gateway.db"))).toBe(true);

    const sent = await (await post(["messages", "send_mms"], { phone: "500600700", title: "Hi", file_id: upload.id })).json();
    expect(sent).toEqual({ success: true, queued: 1, unsent: 0 });
    expect(embedded()).toBe(embedded());
    expect(embedded().ledger()).toHaveLength(1);

    const get = await route.GET(new Request("http://localhost/sandbox-api/account/limits"), context(["account", "limits"]));
    expect(((await get.json()) as { error: { code: number } }).error.code).toBe(1000);
    // The admin endpoint stays off unless SANDBOX_ADMIN is set.
    expect(((await (await post(["__admin", "stats"], {})).json()) as { error: { code: number } }).error.code).toBe(1000);
  });
});
