import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/shell/SignInForm";
import { getCurrentUser } from "@/lib/auth/current";
import { SANDBOX_DEMO_USERS } from "@/lib/auth/demo-accounts";
import { safeReturnPath } from "@/lib/auth/schemas";
import { getConfig } from "@/lib/config/env";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  // A repeated ?next= arrives as an array: safeReturnPath refuses anything but one string.
  const next = safeReturnPath((await searchParams).next);
  if (await getCurrentUser()) redirect(next);
  const sandbox = getConfig().gateway.mode === "sandbox";
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-xl bg-white p-8 shadow">
      <h1 className="mb-6 text-2xl font-bold">Sign in to MMS Campaigns</h1>
      <SignInForm next={next} />
      {sandbox ? (
        <aside className="mt-6 rounded-md bg-sandbox-light p-3 text-sm text-sandbox" aria-label="Sandbox demo accounts">
          <p className="font-semibold">Sandbox mode: demo accounts</p>
          <ul className="mt-1 space-y-0.5 font-mono text-xs">
            {SANDBOX_DEMO_USERS.map((u) => (
              <li key={u.email}>
                {u.email} / {u.password} ({u.role})
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </main>
  );
}
