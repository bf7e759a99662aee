import { Button } from "./Button";

/** A failed read in a panel: what went wrong in plain words and a retry, announced as an alert. */
export function QueryError({
  error,
  fallback,
  onRetry,
  className,
}: {
  error: unknown;
  /** Said when the error carries no message of its own. */
  fallback: string;
  onRetry: () => void;
  className?: string;
}) {
  return (
    <div role="alert" className={className}>
      {error instanceof Error ? error.message : fallback}{" "}
      <Button size="sm" variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
