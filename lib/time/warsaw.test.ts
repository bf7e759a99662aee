import { describe, expect, it } from "vitest";
import { formatGatewayTimestamp, fromWarsawWallClock, parseGatewayTimestamp } from "./warsaw";

describe("Warsaw wall clock", () => {
  it("formats winter (CET, UTC+1) and summer (CEST, UTC+2) instants", () => {
    expect(formatGatewayTimestamp(new Date("2026-01-15T09:00:00Z"))).toBe("2026-01-15 10:00:00");
    expect(formatGatewayTimestamp(new Date("2026-07-15T09:00:00Z"))).toBe("2026-07-15 11:00:00");
  });

  it("round-trips gateway timestamps with and without seconds", () => {
    expect(parseGatewayTimestamp("2026-07-15 11:00:00")?.toISOString()).toBe("2026-07-15T09:00:00.000Z");
    expect(parseGatewayTimestamp("2010-11-09 15:23")?.toISOString()).toBe("2010-11-09T14:23:00.000Z");
  });

  it("refuses the hour skipped when clocks go forward and malformed input", () => {
    expect(fromWarsawWallClock({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 })).toBeNull();
    expect(parseGatewayTimestamp("2026-02-30 10:00")).toBeNull();
    expect(parseGatewayTimestamp("tomorrow")).toBeNull();
  });

  it("resolves the repeated October hour to its first occurrence (still CEST)", () => {
    expect(fromWarsawWallClock({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 })?.toISOString()).toBe(
      "2026-10-25T00:30:00.000Z",
    );
  });
});
