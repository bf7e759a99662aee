import { formatGatewayTimestamp, parseGatewayTimestamp } from "@/lib/time/warsaw";

/**
 * formatGatewayTimestamp goes through Intl for every call (~10 µs); a report or ledger of 100 000 rows
 * mostly repeats a handful of seconds, so one formatter per answer remembers them.
 */
export function createTimestampFormatter(): (epochMs: number) => string {
  const bySecond = new Map<number, string>();
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    let text = bySecond.get(second);
    if (text === undefined) {
      text = formatGatewayTimestamp(new Date(second * 1000));
      bySecond.set(second, text);
    }
    return text;
  };
}

/** A time in a request: epoch ms, and whether it named seconds (report filters include the whole second or minute). */
export type RequestTimestamp = { at: number; hasSeconds: boolean };

// ISO 8601 with an explicit offset ("2026-12-03T07:42:00+01:00", "…Z"), as the captured Python
// client sent for `date` (API reference §9.4); the docs type `date` as "DateTime ISO".
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;

/**
 * A request's date: the gateway's own `YYYY-MM-DD HH:MM[:SS]` in Warsaw time (lib/time/warsaw), or ISO
 * 8601 with an offset, converted to that instant (then shown in Warsaw time like every other). Null
 * when it is neither, or names a time that does not exist.
 */
export function parseRequestTimestamp(text: string): RequestTimestamp | null {
  const trimmed = text.trim();
  const warsaw = parseGatewayTimestamp(trimmed);
  if (warsaw) return { at: warsaw.getTime(), hasSeconds: /:\d{2}:\d{2}$/.test(trimmed) };
  const m = ISO_WITH_OFFSET.exec(trimmed);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  const fields = [y, mo, d, h, mi, s ?? "0"].map(Number) as [number, number, number, number, number, number];
  const offsetMinutes = sign ? (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  if (Math.abs(offsetMinutes) > 14 * 60 || Number(om ?? 0) > 59) return null;
  const wall = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const back = new Date(wall);
  // Date.UTC rolls 2026-02-30 over into March: a date that does not read back does not exist.
  if (back.getUTCFullYear() !== fields[0] || back.getUTCMonth() !== fields[1] - 1 || back.getUTCDate() !== fields[2] || back.getUTCHours() !== fields[3] || back.getUTCMinutes() !== fields[4] || back.getUTCSeconds() !== fields[5]) {
    return null;
  }
  return { at: wall - offsetMinutes * 60_000, hasSeconds: s !== undefined };
}
