import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Compose" };

export default async function ComposePage() {
  await requirePageUser("sender", "/compose");
  return <h1 className="text-2xl font-bold">Compose</h1>;
}
