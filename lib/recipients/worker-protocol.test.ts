import { describe, expect, it } from "vitest";
import { analyzeRecipients } from "./plan";
import { packPlan, unpackPlan } from "./worker-protocol";

describe("the plan as the recipients worker posts it", () => {
  it("comes back equal after packing, through a structured clone", () => {
    const { plan } = analyzeRecipients({ text: "500600700\n12345\n+48 500 600 700\n600700800" });
    const { packed, transfer } = packPlan(plan);
    const cloned = structuredClone(packed, { transfer });
    const unpacked = unpackPlan(cloned);
    expect(unpacked.counts).toEqual(plan.counts);
    expect(unpacked.rejected).toEqual(plan.rejected);
    expect(unpacked.overLimit).toBe(plan.overLimit);
    expect(unpacked.valid).toEqual(plan.valid);
    expect(unpacked.valid).toBe(unpacked.valid);
  });

  it("keeps an empty list empty", () => {
    const { plan } = analyzeRecipients({ text: "12345" });
    expect(unpackPlan(packPlan(plan).packed).valid).toEqual([]);
  });
});
