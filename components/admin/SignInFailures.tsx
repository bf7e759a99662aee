import { type SignInFailureGroup, UNKNOWN_ACCOUNT } from "@/lib/auth/sign-in-throttle";
import { formatWarsawSpan, plural } from "@/lib/format/units";

/**
 * Failed sign-ins as the throttle aggregates them (lib/auth/sign-in-throttle.ts): one line per
 * account and address instead of one audit row per attempt (issue 11 item 7).
 */
export function SignInFailures({ groups, total }: { groups: SignInFailureGroup[]; total: number }) {
  return (
    <section aria-labelledby="sign-in-failures-heading" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="sign-in-failures-heading" className="text-lg font-semibold">Failed sign-ins</h2>
      <p className="mb-2 text-sm text-slate-600">
        {total === 0
          ? "No failed sign-ins."
          : `${plural(total, "account and address", "accounts and addresses")}${total > groups.length ? `, the ${groups.length} most recent shown` : ""}. A successful sign-in clears that account's count from that address.`}
      </p>
      {groups.length > 0 ? (
        <ul className="space-y-1 text-sm">
          {groups.map((group) => (
            <li key={`${group.address} ${group.accountKey}`}>
              {plural(group.attempts, "failed sign-in")} for {group.accountKey === UNKNOWN_ACCOUNT ? "unknown e-mail addresses" : group.accountKey} from{" "}
              <code>{group.address}</code>, {formatWarsawSpan(group.firstAt, group.lastAt)}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
