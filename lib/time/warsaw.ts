/** The gateway (and our users) live in Poland; every wall-clock time the product shows or sends is Warsaw time. */
export const WARSAW_TZ = "Europe/Warsaw";

const wallClockFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: WARSAW_TZ,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The Warsaw wall-clock reading of an instant. */
export function toWarsawWallClock(instant: Date): WallClock {
  const parts = Object.fromEntries(wallClockFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS` in Warsaw time: the format of every timestamp the gateway returns. */
export function formatGatewayTimestamp(instant: Date): string {
  const w = toWarsawWallClock(instant);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * The instant of a Warsaw wall-clock time. Returns null for a time that does not exist
 * (the hour skipped when clocks go forward in March) so callers can refuse it instead of shifting it.
 * An ambiguous time (the repeated hour in October) resolves to its first occurrence.
 */
export function fromWarsawWallClock(w: Omit<WallClock, "second"> & { second?: number }): Date | null {
  const second = w.second ?? 0;
  if (
    !Number.isInteger(w.year) || w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 ||
    w.hour < 0 || w.hour > 23 || w.minute < 0 || w.minute > 59 || second < 0 || second > 59
  ) {
    return null;
  }
  // Warsaw is UTC+1 (CET) or UTC+2 (CEST). Try both offsets and keep those that read back as the
  // requested wall clock: none = skipped hour, two = repeated hour (take the earlier instant).
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, second);
  for (const offsetHours of [2, 1]) {
    const instant = new Date(asUtc - offsetHours * 3_600_000);
    const back = toWarsawWallClock(instant);
    if (
      back.year === w.year && back.month === w.month && back.day === w.day &&
      back.hour === w.hour && back.minute === w.minute && back.second === second
    ) {
      return instant;
    }
  }
  return null;
}

const GATEWAY_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses `YYYY-MM-DD HH:MM[:SS]` as Warsaw time; null when malformed or non-existent. */
export function parseGatewayTimestamp(text: string): Date | null {
  const m = GATEWAY_TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  return fromWarsawWallClock({
    year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: s ? Number(s) : 0,
  });
}
