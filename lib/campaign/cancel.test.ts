import { describe, expect, it } from "vitest";
import { GatewayError, GatewayHttpError, GatewayMalformedResponseError, GatewayNetworkError, GatewayTimeoutError } from "@/lib/serwersms/errors";
import { confirmFromReports, judgeDeleteAnswer, judgeDeleteError } from "./cancel";

describe("judgeDeleteAnswer", () => {
  it("trusts only counts that cover every id", () => {
    expect(judgeDeleteAnswer({ success: true, deleted: 3, failed: 0 }, 3)).toEqual({ kind: "cancelled" });
    expect(judgeDeleteAnswer({ success: true, deleted: 3, failed: null }, 3)).toEqual({ kind: "cancelled" });
    expect(judgeDeleteAnswer({ success: true, deleted: 2, failed: 1 }, 3)).toEqual({ kind: "check" });
    expect(judgeDeleteAnswer({ success: true, deleted: null, failed: null }, 3)).toEqual({ kind: "check" });
    expect(judgeDeleteAnswer({ success: true, deleted: null, failed: 0 }, 3)).toEqual({ kind: "check" });
    expect(judgeDeleteAnswer({ success: true, deleted: 0, failed: 3 }, 3)).toMatchObject({ kind: "refused" });
  });

  it("never cancels on success:false, unless it says some were deleted (then reports decide)", () => {
    const refused = judgeDeleteAnswer({ success: false, deleted: null, failed: null }, 1);
    expect(refused).toMatchObject({ kind: "refused", reason: expect.stringMatching(/refused to cancel 1 message \(success: false/) });
    expect(judgeDeleteAnswer({ success: false, deleted: 0, failed: 0 }, 2)).toMatchObject({ kind: "refused" });
    expect(judgeDeleteAnswer({ success: false, deleted: 1, failed: 1 }, 2)).toEqual({ kind: "check" });
  });
});

describe("judgeDeleteError", () => {
  it("an error envelope or HTTP error is a refusal with the gateway's words; an unclear outcome is checked", () => {
    const envelope = judgeDeleteError(new GatewayError("messages/delete", 1004, "NotFound", "No such message"), 2);
    expect(envelope).toMatchObject({ kind: "refused", reason: expect.stringMatching(/error 1004 Unknown id: No such message/) });
    expect(judgeDeleteError(new GatewayHttpError("messages/delete", 503), 2)).toMatchObject({ kind: "refused", reason: expect.stringMatching(/HTTP 503/) });
    expect(judgeDeleteError(new GatewayTimeoutError("messages/delete", 5000), 2)).toEqual({ kind: "check" });
    expect(judgeDeleteError(new GatewayMalformedResponseError("messages/delete", "not JSON"), 2)).toEqual({ kind: "check" });
    expect(judgeDeleteError(new GatewayNetworkError("messages/delete", "ECONNREFUSED", false), 2)).toMatchObject({ kind: "refused" });
    expect(() => judgeDeleteError(new TypeError("bug"), 1)).toThrow(TypeError);
  });
});

describe("confirmFromReports", () => {
  it("gone = cancelled; saved = still scheduled; any other status = already out", () => {
    const check = confirmFromReports(["a", "b", "c", "d"], [
      { messageId: "b", status: "saved" },
      { messageId: "c", status: "in_progress" },
      { messageId: "d", status: "delivered" },
    ]);
    expect(check.cancelled).toEqual(["a"]);
    expect(check.reasons.join(" ")).toMatch(/still lists 1 message\(s\) as scheduled/);
    expect(check.reasons.join(" ")).toMatch(/2 messages had already left the gateway/);
    expect(confirmFromReports(["a"], [])).toEqual({ cancelled: ["a"], reasons: [] });
  });
});
