import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/current";

export const metadata: Metadata = { title: "History" };

export default async function HistoryPage() {
  await requirePageUser("viewer", "/history");
  return <h1 className="text-2xl font-bold">History</h1>;
}
