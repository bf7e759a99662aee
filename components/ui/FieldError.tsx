/** Field-level errors, announced politely to screen readers as they appear. */
export function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  return (
    <p id={id} aria-live="polite" className="mt-1 min-h-0 text-sm text-danger">
      {messages?.join(" ")}
    </p>
  );
}
