import { describe, expect, it } from "vitest";
import { deliveryStatusLabel, explainDeliveryReason, FINAL_DELIVERY_STATUSES } from "./delivery";

describe("delivery words", () => {
  it("shows a status the app does not list as such, never as a listed one", () => {
    expect(deliveryStatusLabel("delivered")).toBe("delivered");
    expect(deliveryStatusLabel("in_progress")).toBe("in progress");
    expect(deliveryStatusLabel("expired_on_operator")).toBe("unknown status: expired_on_operator");
    expect(deliveryStatusLabel("constructor")).toBe("unknown status: constructor");
  });

  it("treats only delivered, undelivered and unsent as final", () => {
    expect([...FINAL_DELIVERY_STATUSES].sort()).toEqual(["delivered", "undelivered", "unsent"]);
  });

  it("explains listed reasons and shows others as the gateway reported them", () => {
    expect(explainDeliveryReason("number_is_blacklisted")).toMatch(/blacklist/);
    expect(explainDeliveryReason("brand_new_reason")).toBe("Unknown reason: brand_new_reason (as the gateway reported it).");
    expect(explainDeliveryReason("toString")).toMatch(/^Unknown reason/);
    expect(explainDeliveryReason(null)).toBeNull();
  });
});
