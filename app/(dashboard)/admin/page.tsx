import type { Metadata } from "next";
import { headers } from "next/headers";
import { AdminTabs } from "@/components/admin/AdminTabs";
import { PushSettings } from "@/components/admin/PushSettings";
import { UserAdmin } from "@/components/admin/UserAdmin";
import { requirePageUser } from "@/lib/auth/current";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { listUsers } from "@/lib/db/queries/users";
import { configuredPushUrl } from "@/lib/push/endpoint";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const user = await requirePageUser("admin", "/admin");
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Admin</h1>
      <AdminTabs current="users" />
      <UserAdmin initialUsers={listUsers(getAppDb())} currentUserId={user.id} liveMode={getConfig().gateway.mode === "live"} />
      <PushSettings url={configuredPushUrl(await headers())} polling={getConfig().push.polling} />
    </>
  );
}
