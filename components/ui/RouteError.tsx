"use client";

import { useEffect } from "react";

/** Shown by each route's error.tsx: plain words and a retry, never a stack trace. */
export function RouteError({ error, reset, what }: { error: Error & { digest?: string }; reset: () => void; what: string }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded-lg border border-danger/30 bg-danger-light p-6">
      <h2 className="text-lg font-semibold text-danger">Could not load {what}</h2>
      <p className="mt-2 text-sm">
        Something went wrong while loading this page{error.digest ? ` (reference ${error.digest})` : ""}. Your data is safe.
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
