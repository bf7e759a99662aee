"use client";

import { FieldError } from "@/components/ui/FieldError";
import { measureTitle, TITLE_MAX } from "@/lib/compose/title";

/** The MMS title with a live count in the gateway's units (code points), which can differ from what people see. */
export function TitleField({
  value,
  errors,
  onChange,
  onBlur,
}: {
  value: string;
  errors: string[];
  onChange: (title: string) => void;
  onBlur: () => void;
}) {
  const measure = measureTitle(value);
  const invalid = errors.length > 0;
  return (
    <div>
      <label htmlFor="compose-title" className="block text-sm font-semibold">
        Title
      </label>
      <p id="compose-title-hint" className="text-sm text-slate-600">
        Shown as the MMS subject. At most {TITLE_MAX} characters.
      </p>
      <input
        id="compose-title"
        name="title"
        type="text"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        autoComplete="off"
        aria-invalid={invalid}
        aria-describedby="compose-title-hint compose-title-count compose-title-error"
        className={`mt-1 w-full rounded-md border px-3 py-2 ${invalid ? "border-danger" : "border-slate-300"}`}
      />
      <p
        id="compose-title-count"
        data-testid="title-counter"
        className={`mt-1 text-sm ${measure.over ? "font-semibold text-danger" : "text-slate-600"}`}
      >
        {measure.codePoints} / {TITLE_MAX}
        {measure.over ? ` — ${-measure.remaining} over the limit` : ""}
        {measure.emojiNote && measure.graphemes !== measure.codePoints ? (
          <span className="block font-normal text-slate-700">
            Looks like {measure.graphemes}, counts as {measure.codePoints}: {measure.emojiNote}
          </span>
        ) : null}
      </p>
      <FieldError id="compose-title-error" messages={errors} />
    </div>
  );
}
