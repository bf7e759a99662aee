/**
 * The gateway advises sending large campaigns in packages of about 50–200 numbers per request: fewer
 * requests than one per number, yet small enough that one failed request loses little.
 */
export const BATCH_SIZE_MIN = 50;
export const BATCH_SIZE_MAX = 200;
export const BATCH_SIZE_DEFAULT = 200;

/** Consecutive batches of `size` (the last may be smaller), in the original order, never an empty one. */
export function splitIntoBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < BATCH_SIZE_MIN || size > BATCH_SIZE_MAX) {
    throw new RangeError(`Batch size must be a whole number from ${BATCH_SIZE_MIN} to ${BATCH_SIZE_MAX}; got ${size}.`);
  }
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    batches.push(items.slice(start, start + size));
  }
  return batches;
}
