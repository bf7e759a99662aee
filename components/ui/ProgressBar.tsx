/** An accessible progress bar; `value` of null means indeterminate. */
export function ProgressBar({ value, max = 100, label, tone = "brand" }: { value: number | null; max?: number; label: string; tone?: "brand" | "ok" | "danger" }) {
  const percent = value === null ? null : Math.max(0, Math.min(100, (value / (max || 1)) * 100));
  const color = tone === "ok" ? "bg-ok" : tone === "danger" ? "bg-danger" : "bg-brand";
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value ?? undefined}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className={`h-full ${color} transition-[width] ${percent === null ? "w-1/3 animate-pulse" : ""}`} style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
