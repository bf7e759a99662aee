import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Header } from "@/components/shell/Header";
import { getCurrentUser } from "@/lib/auth/current";
import { getConfig } from "@/lib/config/env";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // Each page checks its own role too: layouts do not re-run on every client navigation.
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  const { mode, accountLabel } = getConfig().gateway;
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <Header user={user} gateway={{ mode, accountLabel }} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
