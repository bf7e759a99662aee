"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import { formatCount, plural } from "@/lib/format/units";
import { type CreditAnswer, describeCredit } from "./credit";

export const LIMITS_QUERY_KEY = ["account", "limits"] as const;

type LimitsResponse = { ok: true } & CreditAnswer;

/** MMS credit left at the gateway next to what this send would use (a test preview uses none). */
export function SendLimits({ recipients }: { recipients: number }) {
  const limits = useQuery({
    queryKey: LIMITS_QUERY_KEY,
    queryFn: async ({ signal }): Promise<CreditAnswer> => {
      const { mms, unreadable } = await fetchJson<LimitsResponse>("/api/account/limits", { signal });
      return { mms, unreadable };
    },
  });
  const credit = limits.data?.mms;
  const short = typeof credit === "number" && recipients > credit;
  return (
    <section aria-labelledby="compose-limits-heading" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 id="compose-limits-heading" className="font-semibold">
        MMS credit
      </h2>
      <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1">
        <dt className="text-slate-600">Left at the gateway</dt>
        <dd data-testid="mms-left" className="text-right font-semibold tabular-nums">
          {limits.isPending ? "…" : limits.isError ? "Could not check" : describeCredit(limits.data)}
        </dd>
        <dt className="text-slate-600">This send uses</dt>
        <dd data-testid="mms-needed" className="text-right font-semibold tabular-nums">
          {plural(recipients, "MMS", "MMS")}
        </dd>
      </dl>
      <p className="mt-2 text-slate-600">One MMS per valid recipient. A test preview uses none.</p>
      {short ? (
        <p role="alert" className="mt-2 rounded-md bg-danger-light p-2 text-danger">
          Not enough credit: this send needs {formatCount(recipients)} MMS and {formatCount(credit)} are left. Top up the
          account or send to fewer recipients.
        </p>
      ) : null}
      {limits.isError ? (
        <button type="button" className="mt-2 text-brand underline" onClick={() => void limits.refetch()}>
          Check again
        </button>
      ) : null}
    </section>
  );
}
