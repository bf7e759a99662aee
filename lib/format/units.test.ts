import { describe, expect, it } from "vitest";
import { formatBytes, formatWarsawDateTime, formatWarsawSpan, plural, unreadableCount } from "./units";

describe("formatting", () => {
  it("formats sizes in human units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(174562)).toBe("170 kB");
    expect(formatBytes(1536)).toBe("1.5 kB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20.0 MB");
  });

  it("says so when the gateway gave no size", () => {
    expect(formatBytes(null)).toBe("size unknown");
  });

  it("counts items of a gateway answer that could not be read", () => {
    expect(unreadableCount(1, "file")).toBe("1 file in the gateway's answer could not be read");
    expect(unreadableCount(2, "delivery report")).toBe("2 delivery reports in the gateway's answer could not be read");
  });

  it("formats instants in Warsaw time across DST", () => {
    expect(formatWarsawDateTime(new Date("2026-01-15T09:00:00Z"))).toBe("15 Jan 2026, 10:00");
    expect(formatWarsawDateTime(new Date("2026-07-15T09:00:00Z"))).toBe("15 Jul 2026, 11:00");
  });

  it("pluralises counts", () => {
    expect(plural(1, "recipient")).toBe("1 recipient");
    expect(plural(1000, "recipient")).toBe("1,000 recipients");
  });

  it("formats a span of time in Warsaw, naming the day once when it is one day", () => {
    const at = (iso: string) => new Date(iso).getTime();
    expect(formatWarsawSpan(at("2026-11-25T09:02:00Z"), at("2026-11-25T09:14:59Z"))).toBe("25 Nov 2026, 10:02–10:14");
    expect(formatWarsawSpan(at("2026-11-25T09:02:00Z"), at("2026-11-25T09:02:30Z"))).toBe("25 Nov 2026, 10:02");
    expect(formatWarsawSpan(at("2026-11-25T22:50:00Z"), at("2026-11-25T23:10:00Z"))).toBe("25 Nov 2026, 23:50 – 26 Nov 2026, 00:10");
  });
});
