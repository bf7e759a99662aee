import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestSandbox, TEST_TOKEN, type TestSandbox } from "@/tests/support/sandbox";

/*
 * stats().maxConcurrentSendMms is how an end-to-end test proves a client's cap on sends in flight
 * held (tests/e2e/two-processes.spec.ts): it must count every send_mms request from its arrival to
 * its answer, latency and hangs included, and nothing else.
 */

const LATENCY_MS = 150;
let gw: TestSandbox;
let fileId: string;

beforeAll(async () => {
  gw = await startTestSandbox({ latencyMs: LATENCY_MS });
});
afterAll(async () => {
  await gw.dispose();
});
beforeEach(async () => {
  gw.sandbox.reset();
  fileId = await gw.uploadPng();
});

function send(phone: string, init: { signal?: AbortSignal } = {}) {
  return fetch(`${gw.baseUrl}messages/send_mms.json`, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ phone, title: "Concurrency", file_id: fileId }),
    signal: init.signal,
  });
}

const stats = () => gw.sandbox.stats();

describe("stats: send_mms requests at the same time", () => {
  it("counts requests handled at once, and only send_mms", async () => {
    expect(stats()).toMatchObject({ sendMmsInFlight: 0, maxConcurrentSendMms: 0 });
    const answers = Promise.all(["500600700", "500600701", "500600702"].map((phone) => send(phone)));
    // Other actions at the same time (slowed by the same latency) are not send_mms requests.
    const others = Promise.all([gw.call("account/limits"), gw.call("messages/reports")]);
    await expect.poll(() => stats().sendMmsInFlight, { interval: 5 }).toBe(3);
    await Promise.all([answers, others]);
    expect(stats()).toMatchObject({ sendMmsCalls: 3, sendMmsInFlight: 0, maxConcurrentSendMms: 3 });
  });

  it("keeps the most at once: requests one after another do not raise it", async () => {
    await Promise.all([send("500600700"), send("500600701")]);
    for (const phone of ["500600702", "500600703", "500600704"]) await send(phone);
    expect(stats()).toMatchObject({ sendMmsCalls: 5, maxConcurrentSendMms: 2 });
  });

  it("counts refused requests and a request held by a fault until the client leaves", async () => {
    await gw.admin("faults", { rules: [{ action: "messages/send_mms", nth: [1], kind: "timeoutAfterAccept" }] });
    const aborter = new AbortController();
    const held = send("500600700", { signal: aborter.signal }).catch(() => "gave up");
    await expect.poll(() => stats().sendMmsInFlight, { interval: 5 }).toBe(1);
    // Refused (no file id): still a request the gateway handled at the same time.
    const refused = await fetch(`${gw.baseUrl}messages/send_mms`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ phone: "500600701", title: "Concurrency" }),
    });
    expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(2000);
    expect(stats()).toMatchObject({ sendMmsInFlight: 1, maxConcurrentSendMms: 2 });
    aborter.abort();
    expect(await held).toBe("gave up");
    await expect.poll(() => stats().sendMmsInFlight, { interval: 5 }).toBe(0);
    expect(stats().maxConcurrentSendMms).toBe(2);
  });

  it("reset() starts over from what is in flight at that moment", async () => {
    await Promise.all([send("500600700"), send("500600701"), send("500600702")]);
    expect(stats().maxConcurrentSendMms).toBe(3);
    const inFlight = send("500600703");
    await expect.poll(() => stats().sendMmsInFlight, { interval: 5 }).toBe(1);
    gw.sandbox.reset();
    expect(stats()).toMatchObject({ sendMmsCalls: 0, sendMmsInFlight: 1, maxConcurrentSendMms: 1 });
    await inFlight;
    expect(stats()).toMatchObject({ sendMmsInFlight: 0, maxConcurrentSendMms: 1 });
  });

  it("is served by the admin API too", async () => {
    await Promise.all([send("500600700"), send("500600701")]);
    expect(await gw.admin("stats")).toMatchObject({ sendMmsCalls: 2, sendMmsInFlight: 0, maxConcurrentSendMms: 2 });
  });
});
