/** Skeleton shown by each route's loading.tsx while its server data loads. */
export function PageLoading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <span className="sr-only">Loading {label}…</span>
      <div className="h-8 w-48 rounded bg-slate-200" />
      <div className="h-4 w-full max-w-2xl rounded bg-slate-200" />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="h-32 rounded-lg bg-slate-200" />
        ))}
      </div>
    </div>
  );
}
