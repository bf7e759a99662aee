import Link from "next/link";
import { requirePageUser } from "@/lib/auth/current";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";

export default async function DeniedPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const user = await requirePageUser("viewer");
  const { need } = await searchParams;
  const needed = ROLES.includes(need as Role) ? (need as Role) : null;
  return (
    <main className="mx-auto mt-24 max-w-lg rounded-xl bg-white p-8 shadow">
      <h1 className="text-2xl font-bold">You do not have access to that page</h1>
      <p className="mt-3">
        You are signed in as <strong>{user.email}</strong> with the role <strong>{ROLE_LABELS[user.role]}</strong>.
        {needed ? ` That page needs: ${ROLE_LABELS[needed]}.` : null} Ask an admin if you need more access.
      </p>
      <Link href="/" className="mt-6 inline-block text-brand underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
