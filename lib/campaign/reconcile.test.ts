import { describe, expect, it } from "vitest";
import type { DeliveryReport } from "@/lib/serwersms/types";
import { phoneKey } from "./answer-match";
import { createReportPicker, graceEndsAt, lookupWindow, notReportedYet, reportsByPhone } from "./reconcile";

// 2026-07-01 12:00:00 in Warsaw (CEST, UTC+2).
const REQUESTED = Date.parse("2026-07-01T10:00:00Z");

function report(overrides: Partial<DeliveryReport> = {}): DeliveryReport {
  return {
    messageId: "aaaaaaaaaa",
    phone: "+48500600700",
    status: "delivered",
    queuedAt: "2026-07-01 12:00:00",
    sentAt: null,
    deliveredAt: null,
    reason: null,
    title: "Autumn sale",
    fileIds: ["f1"],
    ...overrides,
  };
}

const wanted = { title: "Autumn sale", fileIds: ["f1"], requestedAt: REQUESTED };

describe("createReportPicker", () => {
  it("takes the report queued closest to the batch's request, and marks it taken", () => {
    const pick = createReportPicker(wanted);
    const taken = new Set<string>();
    const reports = [
      report({ messageId: "early00000", queuedAt: "2026-07-01 11:58:30" }),
      report({ messageId: "own0000000", queuedAt: "2026-07-01 12:00:01" }),
      report({ messageId: "later00000", queuedAt: "2026-07-01 12:01:00" }),
    ];
    expect(pick(reports, taken)?.messageId).toBe("own0000000");
    expect(taken).toEqual(new Set(["own0000000"]));
    // The next number (or the next look-up in this check) cannot take it again.
    expect(pick(reports, taken)?.messageId).toBe("later00000");
  });

  it("never takes an id a recipient already holds", () => {
    const pick = createReportPicker(wanted);
    expect(pick([report({ messageId: "held000000" })], new Set(["held000000"]))).toBeUndefined();
  });

  it("needs the campaign's title, and its files among the attachments when the report lists any", () => {
    const pick = createReportPicker(wanted);
    expect(pick([report({ title: "Winter sale" })], new Set())).toBeUndefined();
    expect(pick([report({ fileIds: ["f2"] })], new Set())).toBeUndefined();
    // The gateway attaches the MMS's text as a file of its own: more attachments than files sent is fine.
    expect(pick([report({ fileIds: ["f1", "txt0000000"] })], new Set())).toBeDefined();
    // A gateway that leaves title or attachments out cannot be checked on them.
    expect(pick([report({ title: null, fileIds: null })], new Set())).toBeDefined();
    expect(pick([report({ fileIds: [] })], new Set())).toBeDefined();
    expect(createReportPicker({ ...wanted, fileIds: ["f1", "f2"] })([report({ fileIds: ["f1"] })], new Set())).toBeUndefined();
  });

  it("ranks a report without a readable queue time last, but still takes it when alone", () => {
    const pick = createReportPicker(wanted);
    const undated = report({ messageId: "undated000", queuedAt: null });
    const garbled = report({ messageId: "garbled000", queuedAt: "yesterday" });
    const dated = report({ messageId: "dated00000", queuedAt: "2026-07-01 12:09:00" });
    expect(pick([undated, garbled, dated], new Set())?.messageId).toBe("dated00000");
    expect(pick([garbled], new Set())?.messageId).toBe("garbled000");
    expect(pick(undefined, new Set())).toBeUndefined();
  });
});

describe("reportsByPhone / phoneKey", () => {
  it("groups reports by the number's digits, whatever format the gateway writes it in", () => {
    const byPhone = reportsByPhone([report({ phone: "48500600700" }), report({ phone: "+48 500 600 700", messageId: "b" }), report({ phone: "+48600700800" })]);
    expect(byPhone.get(phoneKey("+48500600700"))?.map((r) => r.messageId)).toEqual(["aaaaaaaaaa", "b"]);
    expect(byPhone.size).toBe(2);
  });
});

describe("windows and the grace period", () => {
  it("looks from shortly before the request to well after its end, and settles only after the grace period", () => {
    const batch = { startedAt: REQUESTED, finishedAt: REQUESTED + 30_000 };
    expect(lookupWindow(batch, 0, REQUESTED + 3_600_000)).toEqual({ from: REQUESTED - 120_000, to: REQUESTED + 30_000 + 600_000 });
    expect(graceEndsAt(batch, 0, 15 * 60_000)).toBe(REQUESTED + 15 * 60_000);
    // A batch without a start time (never expected) counts from the campaign's creation.
    expect(graceEndsAt({ startedAt: null, finishedAt: null }, REQUESTED, 60_000)).toBe(REQUESTED + 60_000);
  });

  it("words the notice with the Warsaw time from which a check settles the numbers", () => {
    expect(notReportedYet(1, REQUESTED + 15 * 60_000)).toBe("The gateway has not reported 1 number yet; check again after 12:15 (Warsaw)");
    expect(notReportedYet(1200, Date.parse("2026-01-15T09:05:00Z"))).toBe("The gateway has not reported 1,200 numbers yet; check again after 10:05 (Warsaw)");
  });
});
