import { describe, expect, it } from "vitest";
import { atLeast, atMost, below, formatMarkdownTable, formatTextTable, idealCampaignMs, median, type Row, warsawStamp } from "@/bench/lib/report";

const rows: Row[] = [
  { id: "P1", what: "campaign", figure: "14.1 s", target: "≤ 1.15", ratio: "1.128", verdict: "pass" },
  { id: "P6", what: "first-load JS | media", figure: "181.0 kB", target: "≤ 180 kB", ratio: "1.01", verdict: "FAIL" },
];

describe("bench report helpers", () => {
  it("take medians of odd and even lists without reordering the input", () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it("compute the ideal campaign time of the issue (500 requests × 100 ms / 4 lanes)", () => {
    expect(idealCampaignMs(100_000, 200, 100, 4)).toBe(12_500);
    expect(idealCampaignMs(100_001, 200, 100, 4)).toBe(12_525);
  });

  it("judge targets, treating a missing figure as a failure", () => {
    expect(atMost(1.15, 1.15)).toBe("pass");
    expect(atMost(Number.NaN, 1.15)).toBe("FAIL");
    expect(atLeast(24.9, 25)).toBe("FAIL");
    expect(below(250, 250)).toBe("FAIL");
  });

  it("align the text table and escape pipes in Markdown", () => {
    const lines = formatTextTable(rows).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]!.indexOf("figure")).toBe(lines[2]!.indexOf("14.1 s"));
    expect(formatMarkdownTable(rows)).toContain("first-load JS \\| media");
  });

  it("stamp dates in Warsaw time", () => {
    expect(warsawStamp(new Date("2026-01-15T11:05:00Z"))).toBe("2026-01-15 12:05 (Europe/Warsaw)");
    expect(warsawStamp(new Date("2026-07-15T11:05:00Z"))).toBe("2026-07-15 13:05 (Europe/Warsaw)");
  });
});
