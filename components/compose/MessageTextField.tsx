"use client";

import { FieldError } from "@/components/ui/FieldError";
import { MESSAGE_TEXT_MAX } from "@/lib/compose/limits";
import { countCodePoints } from "@/lib/compose/title";

export function MessageTextField({
  value,
  errors,
  onChange,
  onBlur,
}: {
  value: string;
  errors: string[];
  onChange: (text: string) => void;
  onBlur: () => void;
}) {
  const length = countCodePoints(value.trim());
  const invalid = errors.length > 0;
  return (
    <div>
      <label htmlFor="compose-text" className="block text-sm font-semibold">
        Text <span className="font-normal text-slate-600">(optional)</span>
      </label>
      <p id="compose-text-hint" className="text-sm text-slate-600">
        The gateway adds it to the MMS as a text attachment, after the files.
      </p>
      <textarea
        id="compose-text"
        name="text"
        rows={4}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        aria-invalid={invalid}
        aria-describedby="compose-text-hint compose-text-count compose-text-error"
        className={`mt-1 w-full rounded-md border px-3 py-2 ${invalid ? "border-danger" : "border-slate-300"}`}
      />
      <p id="compose-text-count" className={`text-sm ${length > MESSAGE_TEXT_MAX ? "font-semibold text-danger" : "text-slate-600"}`}>
        {length} / {MESSAGE_TEXT_MAX}
      </p>
      <FieldError id="compose-text-error" messages={errors} />
    </div>
  );
}
