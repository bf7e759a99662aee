import type { SendMmsResult, SendRecipientResult } from "@/lib/serwersms/types";

/**
 * Which item of a send_mms answer speaks for which recipient of the batch. A recipient no item can
 * be tied to with confidence gets null, and the caller records it as "unknown" (never "failed"):
 * the gateway may have sent it. Rules, in order:
 * 1. the same number: digits only, so "+48500600700", "48500600700" and "0048500600700" agree;
 *    a number that two items claim is not trusted for either;
 * 2. a rewritten number: the gateway completes Polish numbers without +48 and may drop a prefix
 *    (shared docs serwersms-api.md §5), so one number ending with the other (at least 7 digits)
 *    is the same number when exactly one recipient and one item fit that way;
 * 3. when several fit, the item at the recipient's own place, if the answer has exactly one item
 *    per recipient (the gateway answers in request order in every documented example).
 * An item is never used for two recipients, and position alone never ties an item to a recipient.
 */
export function matchSendAnswer(
  recipients: readonly { phone: string }[],
  answer: Pick<SendMmsResult, "recipients" | "itemCount">,
): (SendRecipientResult | null)[] {
  const matched: (SendRecipientResult | null)[] = recipients.map(() => null);
  const used = new Set<SendRecipientResult>();

  const byKey = new Map<string, SendRecipientResult | "ambiguous">();
  for (const item of answer.recipients) {
    const key = phoneKey(item.phone);
    byKey.set(key, byKey.has(key) ? "ambiguous" : item);
  }
  recipients.forEach((recipient, i) => {
    const item = byKey.get(phoneKey(recipient.phone));
    if (item && item !== "ambiguous") {
      matched[i] = item;
      used.add(item);
    }
  });

  // Rules 2 and 3 only among what rule 1 left: recipients without an item, items nobody claimed twice.
  const waiting = recipients.flatMap((recipient, i) => (matched[i] === null ? [{ phone: recipient.phone, i }] : []));
  const candidates = answer.recipients.filter((item) => !used.has(item) && byKey.get(phoneKey(item.phone)) !== "ambiguous");
  const fits = (a: string, b: string) => sameNumberRewritten(phoneKey(a), phoneKey(b));
  const onePerRecipient = answer.itemCount === recipients.length;
  for (const { phone, i } of waiting) {
    const mine = candidates.filter((item) => !used.has(item) && fits(phone, item.phone));
    const only = mine.length === 1 && waiting.filter((other) => matched[other.i] === null && fits(other.phone, mine[0]!.phone)).length === 1;
    const choice = only ? mine[0] : onePerRecipient ? mine.find((item) => item.index === i) : undefined;
    if (choice) {
      matched[i] = choice;
      used.add(choice);
    }
  }
  return matched;
}

/**
 * How two spellings of a number are compared: digits only, without an international "00" prefix (the
 * gateway may write "+48500600700" as "48500600700"). Used for send answers and for report look-ups.
 */
export function phoneKey(phone: string): string {
  return phone.replace(/\D/g, "").replace(/^00/, "");
}

const MIN_SHARED_DIGITS = 7;

function sameNumberRewritten(a: string, b: string): boolean {
  if (a === b) return false; // exact matches were rule 1's to take
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= MIN_SHARED_DIGITS && long.endsWith(short);
}
