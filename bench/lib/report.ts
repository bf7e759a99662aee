/**
 * Pure helpers of the benchmark: statistics and the results table. No I/O, so they are unit-tested
 * (tests/integration/bench-report.test.ts).
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type Verdict = "pass" | "FAIL" | "info";

export type Row = {
  id: string;
  what: string;
  /** The measured figure, in words and units. */
  figure: string;
  target: string;
  /** The ratio the target is judged on (or "–"). */
  ratio: string;
  verdict: Verdict;
};

const HEADERS = ["row", "what", "figure", "target", "ratio", "result"] as const;

function cells(row: Row): string[] {
  return [row.id, row.what, row.figure, row.target, row.ratio, row.verdict];
}

/** A plain-text table with aligned columns, for a terminal. */
export function formatTextTable(rows: readonly Row[]): string {
  const all = [[...HEADERS], ...rows.map(cells)];
  const widths = HEADERS.map((_, column) => Math.max(...all.map((line) => line[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join("  ").trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(all[0]!), rule, ...all.slice(1).map(line)].join("\n");
}

/** The same table as Markdown (pipes in cells escaped). */
export function formatMarkdownTable(rows: readonly Row[]): string {
  const escape = (value: string) => value.replace(/\|/g, "\\|");
  const line = (values: string[]) => `| ${values.map(escape).join(" | ")} |`;
  return [line([...HEADERS]), line(HEADERS.map(() => "---")), ...rows.map((row) => line(cells(row)))].join("\n");
}

export const seconds = (ms: number, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
export const millis = (ms: number, digits = 0) => `${ms.toFixed(digits)} ms`;
export const mebibytes = (bytes: number, digits = 1) => `${(bytes / (1024 * 1024)).toFixed(digits)} MiB`;
export const megabytes = (bytes: number, digits = 1) => `${(bytes / 1e6).toFixed(digits)} MB`;
export const kilobytes = (bytes: number, digits = 1) => `${(bytes / 1000).toFixed(digits)} kB`;

/** "at most" / "at least" verdicts; NaN (not measured) is a failure. */
export function atMost(value: number, limit: number): Verdict {
  return Number.isFinite(value) && value <= limit ? "pass" : "FAIL";
}
export function atLeast(value: number, limit: number): Verdict {
  return Number.isFinite(value) && value >= limit ? "pass" : "FAIL";
}
export function below(value: number, limit: number): Verdict {
  return Number.isFinite(value) && value < limit ? "pass" : "FAIL";
}

/** The ideal wall time of a campaign: every request costs exactly the gateway latency, lanes fully busy. */
export function idealCampaignMs(recipients: number, batchSize: number, latencyMs: number, concurrency: number): number {
  return (Math.ceil(recipients / batchSize) * latencyMs) / concurrency;
}

/** A date and time in Europe/Warsaw as "YYYY-MM-DD HH:MM (Europe/Warsaw)". */
export function warsawStamp(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Warsaw",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (Europe/Warsaw)`;
}
