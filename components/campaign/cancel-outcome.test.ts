import { describe, expect, it } from "vitest";
import { describeCancelOutcome, UNREACHABLE } from "./cancel-outcome";
import { testSummary } from "./test-summary";

describe("describeCancelOutcome: one wording wherever a cancel is asked for", () => {
  it("a scheduled send: deleted at the gateway", () => {
    const result = { ok: true as const, summary: testSummary({ status: "cancelled", displayStatus: "cancelled" }) };
    expect(describeCancelOutcome({ status: "scheduled" }, result)).toMatchObject({ tone: "ok", text: "The scheduled send was cancelled. Nobody receives it." });
  });

  it("a sending or paused campaign: nothing more is sent", () => {
    const result = { ok: true as const, summary: testSummary({ status: "cancelled", displayStatus: "cancelled" }) };
    for (const status of ["sending", "paused"] as const) {
      expect(describeCancelOutcome({ status }, result).text).toMatch(/^The campaign was cancelled: nothing more is sent\./);
    }
  });

  it("says when batches in flight are still being answered (the campaign is not cancelled yet)", () => {
    const result = { ok: true as const, summary: testSummary({ status: "paused" }) };
    expect(describeCancelOutcome({ status: "sending" }, result)).toMatchObject({ tone: "ok", text: expect.stringContaining("still being answered") });
  });

  it("a refusal in the server's words; no answer at all in plain words", () => {
    const refused = { ok: false as const, code: "gateway" as const, message: "The campaign is still scheduled: nothing was cancelled.", fieldErrors: {} };
    expect(describeCancelOutcome({ status: "scheduled" }, refused)).toMatchObject({ tone: "error", text: refused.message });
    expect(describeCancelOutcome({ status: "scheduled" }, null)).toMatchObject({ tone: "error", text: UNREACHABLE });
  });
});
