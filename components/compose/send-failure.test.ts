import { describe, expect, it } from "vitest";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "@/lib/http/server-action-limits";
import { encodeStartCampaignForm } from "@/lib/compose/request-form";
import { requestFailedMessage, requestTooLarge } from "./send-failure";

describe("what the composer says when its request cannot go, or does not come back", () => {
  it("a request over the server's limit is refused before it leaves, saying why", () => {
    const form = encodeStartCampaignForm({ title: "x", recipients: [] });
    form.set("recipients", new Blob([new Uint8Array(SERVER_ACTION_BODY_LIMIT_BYTES + 1024 * 1024)]));
    expect(requestTooLarge(form)).toBe(
      "The recipient list is too large to send in one request (5.0 MB; the server takes at most 4.0 MB). Nothing was sent. Split the list into several campaigns.",
    );
  });

  it("a full campaign's request is not too large", () => {
    const recipients = Array.from({ length: 100_000 }, (_, i) => `+123456789${String(i).padStart(6, "0")}`);
    expect(requestTooLarge(encodeStartCampaignForm({ title: "x".repeat(40), text: "ż".repeat(2000), recipients }))).toBeNull();
  });

  it("a request that failed on the way tells the user to press the same button again, and why that is safe", () => {
    expect(requestFailedMessage("send", "Send")).toBe(
      "The request did not get through (the connection dropped, or the server could not read it), so it is not known whether the campaign started. Press Send again: it repeats the same request, which can never send twice.",
    );
    expect(requestFailedMessage("send", "Schedule")).toContain("Press Schedule again");
    expect(requestFailedMessage("test", "Preview (test mode)")).toBe(
      "The preview request did not get through (the connection dropped, or the server could not read it). Run the preview again.",
    );
  });
});
