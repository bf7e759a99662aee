import { describe, expect, it } from "vitest";
import type { SendRecipientResult } from "@/lib/serwersms/types";
import { matchSendAnswer } from "./answer-match";

function item(index: number, phone: string, status = "queued"): SendRecipientResult {
  return { index, messageId: `m${index}`, phone, status, queuedAt: null, parts: 1, errorCode: null, errorMessage: null };
}

const batch = (...phones: string[]) => phones.map((phone) => ({ phone }));
const ids = (matched: (SendRecipientResult | null)[]) => matched.map((m) => m?.messageId ?? null);

describe("matchSendAnswer", () => {
  it("matches by number in any order and spelling of the same digits", () => {
    const answer = [item(0, "0048500600702"), item(1, "48500600700"), item(2, "+48 500 600 701")];
    expect(ids(matchSendAnswer(batch("+48500600700", "+48500600701", "+48500600702"), { recipients: answer, itemCount: 3 }))).toEqual(["m1", "m2", "m0"]);
  });

  it("ties a rewritten number (prefix added or dropped) to its recipient when only one fits", () => {
    const answer = [item(0, "500600701"), item(1, "+48500600700")];
    expect(ids(matchSendAnswer(batch("+48500600700", "+48500600701"), { recipients: answer, itemCount: 2 }))).toEqual(["m1", "m0"]);
  });

  it("leaves recipients unmatched when the answer lost items or their numbers: never by position alone", () => {
    // One item could not be read (index 1 is missing), and one number is nothing like its recipient's.
    const answer = [item(0, "+48500600700"), item(2, "+48999999999")];
    expect(ids(matchSendAnswer(batch("+48500600700", "+48500600701", "+48500600702"), { recipients: answer, itemCount: 3 }))).toEqual(["m0", null, null]);
  });

  it("does not trust a number two items claim", () => {
    const answer = [item(0, "+48500600700", "queued"), item(1, "+48500600700", "unsent")];
    expect(ids(matchSendAnswer(batch("+48500600700", "+48500600701"), { recipients: answer, itemCount: 2 }))).toEqual([null, null]);
  });

  it("uses the place in the answer only to choose among recipients a rewritten number fits equally", () => {
    const recipients = batch("+48600700800", "+49600700800");
    const shortForm = item(0, "600700800");
    // One item per recipient: the item at place 0 is recipient 0's.
    expect(ids(matchSendAnswer(recipients, { recipients: [shortForm], itemCount: 2 }))).toEqual(["m0", null]);
    // Otherwise nothing says whose it is.
    expect(ids(matchSendAnswer(recipients, { recipients: [shortForm], itemCount: 1 }))).toEqual([null, null]);
  });

  it("never gives one item to two recipients", () => {
    const answer = [item(0, "500600700")];
    expect(ids(matchSendAnswer(batch("+48500600700", "+49500600700"), { recipients: answer, itemCount: 1 }))).toEqual([null, null]);
  });
});
