import { describe, expect, it } from "vitest";
import { parsePush, PUSH_PARAMETERS } from "./params";

describe("parsePush: the §9.3 names, one table", () => {
  it("reads a delivery report with the old module's names (smsid, stan, data)", () => {
    expect(parsePush({ smsid: "a1b2c3d4e5", stan: "delivered", data: "2026-12-01 10:15:00" })).toEqual({
      kind: "report",
      messageId: "a1b2c3d4e5",
      status: "delivered",
      reason: null,
      deliveredAt: "2026-12-01 10:15:00",
    });
  });

  it("reads a delivery report with the v2 names (id, status, delivered, reason)", () => {
    expect(parsePush({ id: "a1b2c3d4e5", status: "undelivered", reason: "wrong_number", delivered: "" })).toEqual({
      kind: "report",
      messageId: "a1b2c3d4e5",
      status: "undelivered",
      reason: "wrong_number",
      deliveredAt: null,
    });
  });

  it("fills the delivery time only for a delivery, as messages/reports does", () => {
    expect(parsePush({ id: "x1", status: "sent", data: "2026-12-01 10:15:00" })).toMatchObject({ deliveredAt: null });
  });

  it("keeps an unknown status as it came instead of mapping it to a wrong one", () => {
    expect(parsePush({ smsid: "x1", stan: "DELIVRD" })).toMatchObject({ kind: "report", status: "DELIVRD" });
  });

  it("reads a reply with the old names (numer, wiadomosc, data), normalising the phone to E.164", () => {
    const reply = parsePush({ numer: "48500600700", wiadomosc: "STOP", data: "2026-12-01 10:15:00" });
    expect(reply).toEqual({
      kind: "reply",
      phone: "+48500600700",
      text: "STOP",
      receivedAt: Date.parse("2026-12-01T09:15:00Z"),
      replyId: null,
      messageId: null,
    });
  });

  it("reads a reply shaped like a messages/recived item (phone, text, recived, message_id, id)", () => {
    expect(parsePush({ phone: "+48500600700", text: "Tak", recived: "2026-07-01 12:00:00", message_id: "a1b2c3d4e5", id: "77" })).toEqual({
      kind: "reply",
      phone: "+48500600700",
      text: "Tak",
      receivedAt: Date.parse("2026-07-01T10:00:00Z"),
      replyId: "77",
      messageId: "a1b2c3d4e5",
    });
  });

  it("a reply without a readable time is dated when it arrived", () => {
    expect(parsePush({ numer: "+48500600700", wiadomosc: "hi", data: "yesterday" }, 1_700_000_000_000)).toMatchObject({ receivedAt: 1_700_000_000_000 });
  });

  it("says what is missing or too long, naming fields but never echoing values", () => {
    const missing = parsePush({ stan: "delivered" });
    expect(missing).toMatchObject({ kind: "invalid" });
    expect((missing as { message: string }).message).toMatch(/smsid or id/);
    const empty = parsePush({});
    expect(empty).toMatchObject({ kind: "invalid" });
    const long = parsePush({ smsid: "x".repeat(200), stan: "delivered" });
    expect(long).toMatchObject({ kind: "invalid" });
    expect((long as { message: string }).message).not.toContain("xxxx");
    expect(parsePush({ numer: "+48500600700", wiadomosc: "y".repeat(5000) })).toMatchObject({ kind: "invalid" });
  });

  it("lists every name in the one table", () => {
    const names = Object.values(PUSH_PARAMETERS).flatMap((fields) => Object.values(fields).flat());
    for (const name of ["smsid", "stan", "data", "numer", "wiadomosc", "id", "status", "delivered", "reason"]) expect(names).toContain(name);
  });
});
