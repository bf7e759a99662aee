import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DROP_CONNECTION, isDroppedConnection } from "@/lib/sandbox/drop";
import { FaultController } from "@/lib/sandbox/faults";
import { startTestSandbox, TEST_TOKEN, type TestSandbox } from "@/tests/support/sandbox";

let gw: TestSandbox;
let fileId: string;

beforeAll(async () => {
  gw = await startTestSandbox();
});
afterAll(async () => {
  await gw.dispose();
});
beforeEach(async () => {
  gw.sandbox.reset();
  fileId = await gw.uploadPng();
});

function sendRaw(init: { signal?: AbortSignal } = {}) {
  return fetch(`${gw.baseUrl}messages/send_mms.json`, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ phone: ["500600700", "600700800"], title: "T", file_id: fileId }),
    signal: init.signal,
  });
}

const sendRule = (rule: Record<string, unknown>) => gw.admin("faults", { rules: [{ action: "messages/send_mms", nth: [1], ...rule }] });

describe("fault injection", () => {
  it("http500: HTTP 500, nothing recorded; the next call works", async () => {
    await sendRule({ kind: "http500" });
    expect((await sendRaw()).status).toBe(500);
    expect(gw.sandbox.ledger()).toEqual([]);
    expect(await (await sendRaw()).json()).toEqual({ success: true, queued: 2, unsent: 0 });
  });

  it("http429: 429 with Retry-After", async () => {
    await sendRule({ kind: "http429", retryAfterSeconds: 7 });
    const response = await sendRaw();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("timeoutAfterAccept: the client times out but the rows are in the ledger", async () => {
    await sendRule({ kind: "timeoutAfterAccept" });
    await expect(sendRaw({ signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(gw.sandbox.ledger()).toHaveLength(2);
    expect(gw.sandbox.stats().sendMmsCalls).toBe(1);
  });

  it("timeoutBeforeAccept: the client times out and nothing is recorded", async () => {
    await sendRule({ kind: "timeoutBeforeAccept" });
    await expect(sendRaw({ signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("reset: fetch rejects and nothing is recorded", async () => {
    await sendRule({ kind: "reset" });
    await expect(sendRaw()).rejects.toThrow();
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("resetAfterAccept: fetch rejects but the rows are recorded", async () => {
    await sendRule({ kind: "resetAfterAccept" });
    await expect(sendRaw()).rejects.toThrow();
    expect(gw.sandbox.ledger()).toHaveLength(2);
  });

  it("garbage: HTTP 200 with a body that is not JSON", async () => {
    await sendRule({ kind: "garbage" });
    const response = await sendRaw();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("error: the envelope of the given code", async () => {
    await sendRule({ kind: "error", code: 3004 });
    expect(await (await sendRaw()).json()).toEqual({ error: { code: 3004, type: "SendError", message: "MMS limit exhausted" } });
    expect(gw.sandbox.ledger()).toEqual([]);
    await sendRule({ kind: "error", code: 4312 });
    expect((await (await sendRaw()).json()).error).toMatchObject({ code: 4312 });
  });

  it("answer: the given JSON instead of the real answer, nothing processed", async () => {
    await sendRule({ kind: "answer", answer: { success: false } });
    expect(await (await sendRaw()).json()).toEqual({ success: false });
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("answerAfterAccept: the given JSON, but the request was processed", async () => {
    await sendRule({ kind: "answerAfterAccept", answer: { success: true } });
    expect(await (await sendRaw()).json()).toEqual({ success: true });
    expect(gw.sandbox.ledger()).toHaveLength(2);
  });

  it("fires only on the listed matching calls and leaves other actions alone", async () => {
    await gw.admin("faults", { rules: [{ action: "messages/send_mms", nth: [2, 3], kind: "http500" }] });
    expect((await gw.call("account/limits")).items).toBeDefined();
    expect((await sendRaw()).status).toBe(200);
    expect((await sendRaw()).status).toBe(500);
    expect((await sendRaw()).status).toBe(500);
    expect((await sendRaw()).status).toBe(200);
    expect(gw.sandbox.ledger()).toHaveLength(4);
  });

  it("applies a rule without action to every gateway action, but never to the admin endpoint", async () => {
    gw.sandbox.setFaults({ rules: [{ kind: "http500" }] });
    expect((await sendRaw()).status).toBe(500);
    expect((await gw.raw("account/limits")).status).toBe(500);
    expect(await gw.admin("faults", { rules: [] })).toEqual({ rules: [] });
    expect((await sendRaw()).status).toBe(200);
  });

  it("adds the plan's latency to every gateway call", async () => {
    await gw.admin("faults", { latencyMs: 250 });
    const started = performance.now();
    await gw.call("account/limits");
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("reportLagMs: reports and view leave a message out until it has been queued that long (sandbox clock)", async () => {
    await gw.admin("faults", { reportLagMs: 30_000 });
    const sent = await gw.call("messages/send_mms", { phone: ["500600700", "600700800"], title: "T", file_id: fileId, details: true });
    const ids = sent.items.map((item: { id: string }) => item.id);
    // Accepted and in the ledger, but not reported yet: what a gateway whose reports trail its sends answers.
    expect(gw.sandbox.ledger()).toHaveLength(2);
    expect(await gw.call("messages/reports", { id: ids })).toEqual({ paging: { page: 1, count: 0 }, items: [] });
    expect((await gw.call("messages/reports", { phone: ["+48500600700"] })).items).toEqual([]);
    expect((await gw.call("messages/view", { id: ids[0] })).error).toMatchObject({ code: 1004 });
    await gw.admin("clock", { advanceMs: 30_000 });
    expect((await gw.call("messages/reports", { id: ids })).items.map((item: { id: string }) => item.id)).toEqual(ids);
    expect((await gw.call("messages/view", { id: ids[0] })).id).toBe(ids[0]);
    // A new plan without the key ends the lag.
    await gw.admin("faults", { rules: [] });
    const fresh = await gw.call("messages/send_mms", { phone: "500600701", title: "T", file_id: fileId, details: true });
    expect((await gw.call("messages/reports", { id: fresh.items[0].id })).items).toHaveLength(1);
  });

  it("reset() clears the fault plan", async () => {
    gw.sandbox.setFaults({ rules: [{ kind: "http500" }] });
    gw.sandbox.reset();
    fileId = await gw.uploadPng();
    expect((await sendRaw()).status).toBe(200);
  });
});

describe("FaultController", () => {
  it("counts nth per rule from when the plan was set and matches .json spellings", () => {
    const controller = new FaultController({ rules: [{ action: "/messages/send_mms.json", nth: [2], kind: "reset" }, { kind: "garbage", nth: [3] }] });
    expect(controller.next("messages/send_mms")).toBeNull();
    expect(controller.next("messages/send_mms")?.kind).toBe("reset");
    expect(controller.next("messages/send_mms")?.kind).toBe("garbage");
    controller.set({ rules: [{ kind: "garbage", nth: [1] }] });
    expect(controller.next("files/add")?.kind).toBe("garbage");
    expect(() => controller.set({ rules: [{ kind: "error" }] })).toThrow(/needs a code/);
    expect(() => controller.set({ rules: [{ kind: "answer" }] })).toThrow(/needs an answer/);
  });
});

describe("drops and hangs through handle() (the Next route path)", () => {
  const request = (signal?: AbortSignal) =>
    new Request("http://localhost/sandbox-api/messages/send_mms", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ phone: "500600700", title: "T", file_id: fileId }),
      signal,
    });

  it("marks a dropped connection with the symbol and a body stream that errors", async () => {
    gw.sandbox.setFaults({ rules: [{ kind: "resetAfterAccept" }] });
    const response = await gw.sandbox.handle(request(), "messages/send_mms");
    expect(isDroppedConnection(response)).toBe(true);
    expect((response as unknown as Record<symbol, unknown>)[DROP_CONNECTION]).toBe(true);
    await expect(response.text()).rejects.toThrow(/connection dropped/);
    expect(gw.sandbox.ledger()).toHaveLength(1);
  });

  it("holds a timeout until request.signal aborts, then drops", async () => {
    gw.sandbox.setFaults({ rules: [{ kind: "timeoutBeforeAccept" }] });
    const aborter = new AbortController();
    let settled = false;
    const pending = gw.sandbox.handle(request(aborter.signal), "messages/send_mms").finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    aborter.abort();
    expect(isDroppedConnection(await pending)).toBe(true);
    expect(gw.sandbox.ledger()).toEqual([]);
  });
});
