import Link from "next/link";

export function AdminTabs({ current }: { current: "users" | "audit" }) {
  const tab = (href: string, label: string, active: boolean) => (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`rounded-t-md px-4 py-2 text-sm font-medium ${active ? "border-b-2 border-brand text-brand" : "text-slate-600 hover:text-slate-900"}`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Administration" className="mb-6 flex gap-2 border-b border-slate-200">
      {tab("/admin", "Users", current === "users")}
      {tab("/admin/audit", "Audit log", current === "audit")}
    </nav>
  );
}
