import { describe, expect, it } from "vitest";
import { describeCredit } from "./credit";

describe("describeCredit", () => {
  it("says what the gateway said about the MMS credit", () => {
    expect(describeCredit({ mms: 1500, unreadable: 0 })).toBe("1,500 MMS");
    expect(describeCredit({ mms: "no_limit", unreadable: 0 })).toBe("No limit");
    expect(describeCredit({ mms: "not_available", unreadable: 0 })).toBe("Not available for this account");
    expect(describeCredit({ mms: null, unreadable: 0 })).toBe("Not available for this account");
  });

  it("shows a value it does not know as the gateway gave it, never as 'not available'", () => {
    expect(describeCredit({ mms: "ask_your_manager", unreadable: 0 })).toBe("Unknown value from the gateway: “ask_your_manager”");
  });

  it("says the credit could not be read when an unreadable item may have been it", () => {
    expect(describeCredit({ mms: null, unreadable: 1 })).toBe("Could not be read from the gateway's answer");
    expect(describeCredit({ mms: 6, unreadable: 1 })).toBe("6 MMS");
  });
});
