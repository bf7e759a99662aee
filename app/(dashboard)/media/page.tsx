import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Media" };

export default async function MediaPage() {
  await requirePageUser("viewer", "/media");
  return <h1 className="text-2xl font-bold">Media</h1>;
}
