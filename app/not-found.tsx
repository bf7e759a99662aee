import Link from "next/link";
import { connection } from "next/server";

/**
 * Rendered per request: a prerendered (static) 404 would carry no CSP nonce, and the browser would
 * then block its scripts under the nonce policy set by proxy.ts.
 */
export default async function NotFound() {
  await connection();
  return (
    <main className="mx-auto mt-24 max-w-lg rounded-xl bg-white p-8 shadow">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-3">That page does not exist, or the campaign or file was removed.</p>
      <Link href="/" className="mt-6 inline-block text-brand underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
