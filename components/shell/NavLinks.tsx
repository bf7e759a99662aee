"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { hasRole, type Role } from "@/lib/auth/roles";

const LINKS: { href: string; label: string; role: Role }[] = [
  { href: "/media", label: "Media", role: "viewer" },
  { href: "/compose", label: "Compose", role: "sender" },
  { href: "/history", label: "History", role: "viewer" },
  { href: "/admin", label: "Admin", role: "admin" },
];

export function NavLinks({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="flex gap-1">
        {LINKS.filter((link) => hasRole(role, link.role)).map((link) => {
          const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-3 py-2 text-sm font-medium ${
                  active ? "bg-white/15 text-white" : "text-indigo-100 hover:bg-white/10 hover:text-white"
                }`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
