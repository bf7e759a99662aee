import { describe, expect, it } from "vitest";
import { analyzeRecipients, buildRecipientPlan, MAX_RECIPIENTS } from "./plan";
import { MESSAGES } from "./phone";
import type { RecipientEntry } from "./types";

describe("buildRecipientPlan", () => {
  it("deduplicates after normalising and points at the first occurrence", () => {
    const plan = buildRecipientPlan([
      { raw: "500600700", line: 1 },
      { raw: "501602703", line: 2 },
      { raw: "22 123 45 67", line: 3 },
      { raw: "+48 500 600 700", line: 4 },
      { raw: "", line: 5 },
      { raw: "0048 501-602-703", line: 6 },
    ]);
    expect(plan.valid).toEqual([
      { e164: "+48500600700", line: 1 },
      { e164: "+48501602703", line: 2 },
    ]);
    expect(plan.rejected).toEqual([
      { line: 3, raw: "22 123 45 67", reason: "invalid", message: MESSAGES.landline },
      { line: 4, raw: "+48 500 600 700", reason: "duplicate", message: "Duplicate of line 1", duplicateOfLine: 1 },
      { line: 5, raw: "", reason: "empty", message: MESSAGES.empty },
      { line: 6, raw: "0048 501-602-703", reason: "duplicate", message: "Duplicate of line 2", duplicateOfLine: 2 },
    ]);
    expect(plan.counts).toEqual({ valid: 2, invalid: 1, duplicates: 2, empty: 1, total: 6 });
    expect(plan.overLimit).toBe(false);
  });

  it("flags more valid numbers than the limit, keeping them all", () => {
    const entries = ["500600700", "501602703", "502603704"].map((raw, i) => ({ raw, line: i + 1 }));
    const plan = buildRecipientPlan(entries, { maxRecipients: 2 });
    expect(plan.overLimit).toBe(true);
    expect(plan.valid).toHaveLength(3);
    expect(buildRecipientPlan(entries, { maxRecipients: 3 }).overLimit).toBe(false);
    expect(MAX_RECIPIENTS).toBe(100_000);
  });

  it("reads national numbers in the chosen country", () => {
    const plan = buildRecipientPlan([{ raw: "0151 23456789", line: 1 }], { defaultCountry: "DE" });
    expect(plan.valid).toEqual([{ e164: "+4915123456789", line: 1 }]);
  });

  it("handles an empty list", () => {
    expect(buildRecipientPlan([])).toEqual({
      valid: [],
      rejected: [],
      counts: { valid: 0, invalid: 0, duplicates: 0, empty: 0, total: 0 },
      overLimit: false,
    });
  });

  /** A realistic export: Polish mobiles in mixed spellings, some duplicates, landlines and junk. */
  function sampleLines(count: number): string[] {
    const mobilePrefixes = ["50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"];
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const prefix = mobilePrefixes[i % mobilePrefixes.length] ?? "50";
      const rest = String((i * 7919) % 10_000_000).padStart(7, "0");
      if (i % 101 === 0) lines.push("n/a");
      else if (i % 103 === 0) lines.push(`22 ${rest.slice(0, 3)} ${rest.slice(3, 5)} ${rest.slice(5)}`);
      else if (i % 5 === 0) lines.push(`+48 ${prefix}${rest.slice(0, 1)} ${rest.slice(1, 4)} ${rest.slice(4)}`);
      else if (i % 7 === 0) lines.push(`0048${prefix}${rest}`);
      else lines.push(`${prefix}${rest}`);
    }
    return lines;
  }

  it("plans 100 000 numbers quickly", () => {
    const entries: RecipientEntry[] = sampleLines(100_000).map((raw, i) => ({ raw, line: i + 1 }));
    const started = performance.now();
    const plan = buildRecipientPlan(entries);
    const elapsed = performance.now() - started;
    console.log(`buildRecipientPlan: 100 000 entries in ${elapsed.toFixed(0)} ms`);
    expect(plan.counts.total).toBe(100_000);
    expect(plan.counts.valid).toBeGreaterThan(90_000);
    expect(plan.counts.valid + plan.counts.invalid + plan.counts.duplicates + plan.counts.empty).toBe(100_000);
    expect(elapsed).toBeLessThan(3_000);
  });

  it("goes from 100 000 pasted lines to a plan quickly", () => {
    const text = sampleLines(100_000).join("\n");
    const started = performance.now();
    const { plan } = analyzeRecipients({ text });
    const elapsed = performance.now() - started;
    console.log(`analyzeRecipients (text): 100 000 lines in ${elapsed.toFixed(0)} ms`);
    expect(plan.counts.total).toBe(100_000);
    expect(elapsed).toBeLessThan(3_000);
  });
});

describe("analyzeRecipients", () => {
  it("plans pasted text", () => {
    const { plan, column, error } = analyzeRecipients({ text: "500 600 700\n\n+48500600700, 22 123 45 67" });
    expect(error).toBeUndefined();
    expect(column).toBeUndefined();
    expect(plan.valid).toEqual([{ e164: "+48500600700", line: 1 }]);
    expect(plan.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, "duplicate"],
      [3, "invalid"],
    ]);
  });

  it("plans spreadsheet rows and reports the column used", () => {
    const result = analyzeRecipients({
      rows: [
        ["Imię", "Telefon"],
        ["Jan", "500600700"],
        ["Anna", ""],
      ],
    });
    expect(result.column).toEqual({ index: 1, letter: "B", header: "Telefon" });
    expect(result.plan.counts).toEqual({ valid: 1, invalid: 0, duplicates: 0, empty: 1, total: 2 });
  });

  it("uses the given row lines", () => {
    const result = analyzeRecipients({ rows: [["phone"], ["500600700"]], rowLines: [1, 4] });
    expect(result.plan.valid).toEqual([{ e164: "+48500600700", line: 4 }]);
  });

  it("returns an empty plan and a message when no column has numbers", () => {
    const result = analyzeRecipients({ rows: [["name", "city"], ["Jan", "Kraków"]] });
    expect(result.error).toMatch(/No column with phone numbers found/);
    expect(result.plan.counts.total).toBe(0);
  });
});
