import { afterEach, describe, expect, it, vi } from "vitest";
import { createRequestErrorLog } from "./request-error-log";

/** What Next does for a request's error: log it (prefix + error), then call instrumentation's onRequestError with the same object. */
function nextReports(log: ReturnType<typeof createRequestErrorLog>, error: Error, routeType: "action" | "render" | "route") {
  log.console.error(" ⨯", error);
  return log.onRequestError(
    error,
    { path: "/compose", method: "POST", headers: { "next-action": "7f2512d507c4e7f22aa09dd491d81a8ce784db4e34" } },
    { routerKind: "App Router", routePath: "/(dashboard)/compose", routeType },
  );
}

function withDigest<E extends Error>(error: E, digest = "2168181111"): E {
  return Object.assign(error, { digest });
}

function setup() {
  const written: unknown[][] = [];
  const log = createRequestErrorLog({ error: (...args: unknown[]) => written.push(args) }, { holdMs: 1_000 });
  return { log, written, lines: () => written.map((args) => args.map(String).join(" ")) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the server log for server-action requests Next refuses before our code runs", () => {
  it("a body over the limit: one line with the route, the action and the reason, no stack", async () => {
    const { log, written, lines } = setup();
    const tooLarge = withDigest(Object.assign(new Error("Body exceeded 4mb limit.\nTo configure the body size limit for Server Actions, see: https://nextjs.org/docs/…"), { statusCode: 413 }));
    await nextReports(log, tooLarge, "action");
    expect(written).toHaveLength(1);
    expect(lines()[0]).toBe(
      "⨯ server action request refused (POST /compose, action 7f2512d5…): the body is larger than the server accepts (Body exceeded 4mb limit.) [digest 2168181111]",
    );
  });

  it("a malformed body: one line, whatever the decoder's message holds (line breaks, control characters, length)", async () => {
    const { log, written, lines } = setup();
    const malformed = withDigest(new SyntaxError(`Unexpected token 'x', "x\n    at evil (fake.js:1:1)\u001b[31m${"y".repeat(500)}" is not valid JSON`), "592743417");
    await nextReports(log, malformed, "action");
    expect(written).toHaveLength(1);
    const [line] = lines();
    expect(line).toMatch(/^⨯ server action request refused \(POST \/compose, action 7f2512d5…\): the body could not be read \(SyntaxError: Unexpected token 'x', "x\)/);
    expect(line).toMatch(/\[digest 592743417\]$/);
    expect(line).not.toMatch(/[\n\r\u001b]/);
    expect(line!.length).toBeLessThan(300);
  });

  it("leaves every other error as Next logs it: render errors in full, errors without a digest at once", async () => {
    const { log, written } = setup();
    const ours = new Error("from our own code");
    log.console.error("[startCampaign] unexpected error (ref 1234abcd):", ours);
    expect(written).toEqual([["[startCampaign] unexpected error (ref 1234abcd):", ours]]);

    const render = withDigest(new TypeError("Cannot read properties of undefined"));
    await nextReports(log, render, "render");
    expect(written[1]).toEqual([" ⨯", render]);
    log.console.error("plain text", 42);
    expect(written[2]).toEqual(["plain text", 42]);
  });

  it("an error Next logs but never reports is still written, a moment later or when the process exits", () => {
    vi.useFakeTimers();
    const { log, written } = setup();
    const stray = withDigest(new Error("logged outside a request"));
    log.console.error(" ⨯", stray);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(written).toEqual([[" ⨯", stray]]);

    const another = withDigest(new Error("held at exit"), "1");
    log.console.error(" ⨯", another);
    log.flush();
    expect(written[1]).toEqual([" ⨯", another]);
  });

  it("an action error Next did not log itself (silenced) gets no line from us either", async () => {
    const { log, written } = setup();
    await log.onRequestError(withDigest(new Error("already logged elsewhere")), { path: "/compose", method: "POST", headers: {} }, { routeType: "action" });
    expect(written).toEqual([]);
  });
});
