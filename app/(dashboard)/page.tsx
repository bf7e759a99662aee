import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/current";
import { hasRole } from "@/lib/auth/roles";

export default async function Home() {
  const user = await requirePageUser("viewer", "/");
  redirect(hasRole(user.role, "sender") ? "/compose" : "/media");
}
