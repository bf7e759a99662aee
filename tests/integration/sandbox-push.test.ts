// In tests/integration, not lib/sandbox: besides the sandbox it checks that the app's push parser
// (lib/push/params.ts) reads what the sandbox sends, and lib/sandbox/ may import only its own folder.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parsePush } from "@/lib/push/params";
import { plannedDeliveryOutcome } from "@/lib/sandbox";
import { deliveryTransitions } from "@/lib/sandbox/delivery";
import { reportStatusAt } from "@/lib/sandbox/store";
import { numberWithPlannedOutcome, startTestSandbox, type TestSandbox } from "@/tests/support/sandbox";

// 2026-07-01 12:00:00 in Warsaw (CEST, UTC+2).
const START = Date.parse("2026-07-01T10:00:00Z");
const TIMELINE = { sentAfterMs: 2000, finalAfterMs: 6000 };

const deliveredPhone = numberWithPlannedOutcome("delivered");
const undeliveredPhone = numberWithPlannedOutcome("undelivered");

type Received = { method: string; type: string | undefined; query: Record<string, string>; body: string };

let gw: TestSandbox;
let fileId: string;
let receiver: http.Server;
let receiverUrl: string;
let received: Received[];
let answer: string;

beforeAll(async () => {
  gw = await startTestSandbox({ now: () => START, deliveryTimeline: TIMELINE });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      received.push({ method: req.method ?? "", type: req.headers["content-type"], query: Object.fromEntries(url.searchParams), body });
      res.writeHead(200, { "content-type": "text/plain" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/push/0123456789abcdef`;
});
afterAll(async () => {
  await gw.dispose();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  gw.sandbox.reset();
  fileId = await gw.uploadPng();
  received = [];
  answer = "OK";
});

const send = (body: Record<string, unknown>) => gw.call("messages/send_mms", { title: "Pushed", file_id: fileId, details: true, ...body });
const formOf = (r: Received) => Object.fromEntries(new URLSearchParams(r.body));

describe("the sandbox pushes report status changes", () => {
  it("with the legacy names as a form POST, every change in order, each once", async () => {
    await gw.admin("push", { url: receiverUrl });
    const sent = await send({ phone: [deliveredPhone, undeliveredPhone] });
    const [ok, bad] = sent.items.map((item: { id: string }) => item.id);
    const round = await gw.admin("clock", { advanceMs: 10_000 });
    expect(round.pushed).toEqual({ pushed: 6, failed: 0, pending: 0 });
    expect(received.every((r) => r.method === "POST" && r.type?.startsWith("application/x-www-form-urlencoded"))).toBe(true);
    expect(received.map(formOf)).toEqual([
      { smsid: ok, stan: "in_progress", data: "2026-07-01 12:00:00" },
      { smsid: bad, stan: "in_progress", data: "2026-07-01 12:00:00" },
      { smsid: ok, stan: "sent", data: "2026-07-01 12:00:02" },
      { smsid: bad, stan: "sent", data: "2026-07-01 12:00:02" },
      { smsid: ok, stan: "delivered", data: "2026-07-01 12:00:06" },
      { smsid: bad, stan: "undelivered", data: "2026-07-01 12:00:06" },
    ]);
    // Nothing changed since: a second round pushes nothing again.
    expect(await gw.admin("push/flush")).toEqual({ pushed: 0, failed: 0, pending: 0 });
  });

  it("with the v2 names as JSON, the reason of a failure and the time of a delivery, which the app's parser reads", async () => {
    await gw.admin("push", { url: receiverUrl, format: "json", names: "v2" });
    const sent = await send({ phone: [deliveredPhone, undeliveredPhone] });
    await gw.admin("clock", { advanceMs: 6000 });
    const finals = received.map((r) => JSON.parse(r.body) as Record<string, string>).filter((f) => f.status !== "in_progress" && f.status !== "sent");
    const reason = plannedDeliveryOutcome(undeliveredPhone);
    expect(finals).toEqual([
      { id: sent.items[0].id, status: "delivered", delivered: "2026-07-01 12:00:06" },
      { id: sent.items[1].id, status: "undelivered", reason: reason.status === "undelivered" ? reason.reason : "?" },
    ]);
    expect(finals.map((fields) => parsePush(fields))).toEqual([
      { kind: "report", messageId: sent.items[0].id, status: "delivered", reason: null, deliveredAt: "2026-07-01 12:00:06" },
      { kind: "report", messageId: sent.items[1].id, status: "undelivered", reason: finals[1]!.reason, deliveredAt: null },
    ]);
  });

  it("by GET with the fields in the query string", async () => {
    await gw.admin("push", { url: receiverUrl, method: "GET" });
    const sent = await send({ phone: [deliveredPhone] });
    await gw.admin("clock", { advanceMs: 1 });
    expect(received).toEqual([{ method: "GET", type: undefined, body: "", query: { smsid: sent.items[0].id, stan: "in_progress", data: "2026-07-01 12:00:00" } }]);
  });

  it("tries again a push that did not get OK, and never pushes a message cancelled before its time", async () => {
    await gw.admin("push", { url: receiverUrl });
    await send({ phone: [deliveredPhone] });
    const later = await send({ phone: [undeliveredPhone], date: "2026-07-01 12:30" });
    expect((await gw.call("messages/delete", { id: later.items[0].id })).success).toBe(true);
    answer = "ERROR";
    expect((await gw.admin("clock", { advanceMs: 1 })).pushed).toEqual({ pushed: 0, failed: 1, pending: 1 });
    answer = "OK";
    expect(await gw.admin("push/flush")).toEqual({ pushed: 1, failed: 0, pending: 0 });
    await gw.admin("clock", { advanceMs: 60 * 60_000 });
    expect(received.map(formOf).filter((f) => f.smsid === later.items[0].id)).toEqual([]);
  });

  it("pushes only changes after the URL was set, and nothing once it is turned off", async () => {
    await send({ phone: [deliveredPhone] });
    await gw.admin("clock", { advanceMs: 3000 });
    await gw.admin("push", { url: receiverUrl });
    await gw.admin("clock", { advanceMs: 3000 });
    expect(received.map((r) => formOf(r).stan)).toEqual(["delivered"]);
    expect(await gw.admin("push", { url: "" })).toEqual({ target: null });
    await send({ phone: [undeliveredPhone] });
    await gw.admin("clock", { advanceMs: 10_000 });
    expect(received).toHaveLength(1);
  });
});

describe("injected replies", () => {
  it("are pushed with the legacy names, or with the v2 names and the message they answer", async () => {
    await gw.admin("push", { url: receiverUrl });
    expect(await gw.admin("reply", { phone: "+48500600700", text: "STOP" })).toEqual({ pushed: 1, failed: 0, pending: 0 });
    expect(formOf(received[0]!)).toEqual({ numer: "+48500600700", wiadomosc: "STOP", data: "2026-07-01 12:00:00" });
    await gw.admin("push", { url: receiverUrl, names: "v2", format: "json" });
    await gw.admin("reply", { phone: "+48500600700", text: "Tak", messageId: "a1b2c3d4e5" });
    expect(JSON.parse(received[1]!.body)).toEqual({ phone: "+48500600700", text: "Tak", recived: "2026-07-01 12:00:00", message_id: "a1b2c3d4e5", id: "1" });
  });

  it("need a push URL and a phone and text", async () => {
    expect((await gw.admin("reply", { phone: "+48500600700", text: "x" })).error).toMatchObject({ code: 1006, message: expect.stringMatching(/No push URL/) });
    await gw.admin("push", { url: receiverUrl });
    expect((await gw.admin("reply", { phone: "", text: "x" })).error).toMatchObject({ code: 1006 });
    expect((await gw.admin("push", { url: "ftp://nope" })).error).toMatchObject({ code: 1006 });
  });
});

describe("deliveryTransitions", () => {
  it("follows the same timeline as the reports", () => {
    const sendAt = START;
    for (const planned of ["delivered", "undelivered"] as const) {
      for (const change of deliveryTransitions(sendAt, planned, TIMELINE)) {
        expect(reportStatusAt({ status: "queued", sendAt, plannedStatus: planned }, change.at, TIMELINE)).toBe(change.status);
        expect(reportStatusAt({ status: "queued", sendAt, plannedStatus: planned }, change.at - 1, TIMELINE)).not.toBe(change.status);
      }
    }
  });
});
