import { formatCount } from "@/lib/format/units";
import type { LimitValue } from "@/lib/serwersms/types";

/** What /api/account/limits answers: the MMS credit and how many limit items could not be read. */
export type CreditAnswer = { mms: LimitValue | null; unreadable: number };

/**
 * The MMS credit in words. The gateway's value is a count, "no_limit" or "not_available" (docs §3.5);
 * anything else is shown as it came, and a missing MMS entry next to an unreadable item is
 * "could not be read", not "not available": the unreadable item may have been the MMS one.
 */
export function describeCredit({ mms, unreadable }: CreditAnswer): string {
  if (typeof mms === "number") return `${formatCount(mms)} MMS`;
  if (mms === "no_limit") return "No limit";
  if (mms === "not_available") return "Not available for this account";
  if (mms !== null) return `Unknown value from the gateway: “${mms.slice(0, 40)}”`;
  return unreadable > 0 ? "Could not be read from the gateway's answer" : "Not available for this account";
}
