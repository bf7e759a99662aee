import { WARSAW_TZ } from "@/lib/time/warsaw";

const BYTE_UNITS = ["B", "kB", "MB", "GB"] as const;

/** 174562 → "170.5 kB" (binary multiples, the way file managers show sizes); null → "size unknown" (the gateway did not say). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "size unknown";
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${BYTE_UNITS[unit]}`;
}

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: WARSAW_TZ,
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant as Warsaw time for people: "25 Nov 2026, 10:00". */
export function formatWarsawDateTime(instant: Date | number): string {
  return dateTimeFormat.format(instant);
}

/**
 * A span of instants as Warsaw time: "25 Nov 2026, 10:02–10:14" within one day (to the minute),
 * "25 Nov 2026, 10:02" within one minute, both days in full otherwise.
 */
export function formatWarsawSpan(from: Date | number, to: Date | number): string {
  const [start, end] = [formatWarsawDateTime(from), formatWarsawDateTime(to)];
  if (start === end) return start;
  const [startDay, startTime] = start.split(", ");
  const [endDay, endTime] = end.split(", ");
  return startDay === endDay ? `${startDay}, ${startTime}–${endTime}` : `${start} – ${end}`;
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { timeZone: WARSAW_TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** An instant's Warsaw wall-clock time for people: "10:15". */
export function formatWarsawTime(instant: Date | number): string {
  return timeFormat.format(instant);
}

const integerFormat = new Intl.NumberFormat("en-GB");
export function formatCount(n: number): string {
  return integerFormat.format(n);
}

export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * "2 files in the gateway's answer could not be read": the start of every note about items of a
 * gateway answer that were left out (lib/serwersms reads answers item by item).
 */
export function unreadableCount(count: number, noun: string, many?: string): string {
  return `${plural(count, noun, many)} in the gateway's answer could not be read`;
}
