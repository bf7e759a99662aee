import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePageUser("admin", "/admin");
  return <h1 className="text-2xl font-bold">Admin</h1>;
}
