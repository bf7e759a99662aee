/**
 * A realistic pasted recipient list: Polish mobiles written the many ways people write them, some
 * foreign numbers, some repeats (in another spelling), some junk and landlines. Deterministic (seeded),
 * so every run checks the same text.
 */

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MOBILE_PREFIXES = ["50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"];

function spell(nine: string, style: number): string {
  const [a, b, c] = [nine.slice(0, 3), nine.slice(3, 6), nine.slice(6)];
  switch (style) {
    case 0:
      return nine;
    case 1:
      return `${a} ${b} ${c}`;
    case 2:
      return `+48 ${a} ${b} ${c}`;
    case 3:
      return `+48${nine}`;
    case 4:
      return `${a}-${b}-${c}`;
    case 5:
      return `0048${nine}`;
    case 6:
      return `+48 (${a}) ${b}-${c}`;
    default:
      return `48${nine}`;
  }
}

const JUNK = ["12345", "call me", "500 600 70", "n/a", "4.85006E+10", "+48 22 123 45 67", "22 555 01 02", "800 123 456", "+999 1234567", "+44 7700 900123", "(+48) 500-600-700"];
const FOREIGN = ["+49 151 2345 6789", "+44 7911 123456", "+420 601 123 456", "+380 50 123 4567"];

/** `lines` lines, one entry each. */
export function recipientText(lines: number, seed = 7): string {
  const random = mulberry32(seed);
  const seen: string[] = [];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const roll = random();
    if (roll < 0.03) {
      out.push(JUNK[Math.floor(random() * JUNK.length)]!);
    } else if (roll < 0.05 && seen.length > 0) {
      out.push(spell(seen[Math.floor(random() * seen.length)]!, Math.floor(random() * 8)));
    } else if (roll < 0.06) {
      out.push(FOREIGN[Math.floor(random() * FOREIGN.length)]!);
    } else {
      const prefix = MOBILE_PREFIXES[Math.floor(random() * MOBILE_PREFIXES.length)]!;
      const nine = `${prefix}${String(Math.floor(random() * 10_000_000)).padStart(7, "0")}`;
      seen.push(nine);
      out.push(spell(nine, Math.floor(random() * 8)));
    }
  }
  return out.join("\n");
}
