import { formatGatewayTimestamp } from "@/lib/time/warsaw";

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
