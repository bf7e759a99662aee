"use client";

import { useEffect, useState } from "react";
import { FieldError } from "@/components/ui/FieldError";
import type { SendOptionsDraft } from "./draft";
import type { Validation } from "./useValidation";

/** Batch size and parallel requests; collapsed because the defaults follow the gateway's advice. */
export function AdvancedOptions({
  options,
  errors,
  validation,
  onChange,
}: {
  options: SendOptionsDraft;
  errors: string[];
  /** Carries the limits and defaults; null while it loads. */
  validation: Validation | null;
  onChange: (options: SendOptionsDraft) => void;
}) {
  const [open, setOpen] = useState(false);
  const hasErrors = errors.length > 0;
  // A refused value must be visible even if the section was collapsed.
  useEffect(() => {
    if (hasErrors) setOpen(true);
  }, [hasErrors]);
  const limits = validation?.SEND_OPTION_LIMITS;
  const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));
  const field = (key: keyof SendOptionsDraft, label: string, hint: string) => {
    const id = `compose-option-${key}`;
    const bounds = limits?.[key];
    return (
      <div>
        <label htmlFor={id} className="block text-sm font-medium">
          {label}
        </label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={bounds?.min}
          max={bounds?.max}
          step={1}
          value={options[key] ?? bounds?.default ?? ""}
          onChange={(event) => onChange({ ...options, [key]: numberOrNull(event.target.value) })}
          aria-describedby={`${id}-hint compose-options-error`}
          aria-invalid={errors.length > 0}
          className="mt-1 w-28 rounded-md border border-slate-300 px-3 py-2"
        />
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {bounds ? `${bounds.min}–${bounds.max}, default ${bounds.default}. ` : ""}
          {hint}
        </p>
      </div>
    );
  };
  return (
    <details className="rounded-md border border-slate-200 bg-white p-3" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="cursor-pointer text-sm font-semibold">Advanced sending options</summary>
      <div className="mt-3 flex flex-wrap gap-6">
        {field("batchSize", "Numbers per request (batch size)", "The gateway advises 50–200.")}
        {field("concurrency", "Parallel requests", "More is faster; fewer is gentler on the gateway.")}
      </div>
      <FieldError id="compose-options-error" messages={errors} />
    </details>
  );
}
