function notStartedError(): DOMException {
  return new DOMException("Not started: the run was cancelled.", "AbortError");
}

/**
 * Runs `worker` over `items` with at most `limit` calls in flight, starting the next as soon as one
 * finishes. Results come back in the order of `items`, each settled on its own, so one failure never
 * hides the others. After `signal` aborts, no further item is started (those settle as rejected with an
 * AbortError); calls already running are left to finish, since a request already sent may have been
 * accepted and its outcome must still be recorded.
 */
export async function runWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
  opts: { signal?: AbortSignal } = {},
): Promise<PromiseSettledResult<R>[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`Concurrency limit must be a whole number of at least 1; got ${limit}.`);
  }
  const { signal } = opts;
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;

  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      if (signal?.aborted) {
        results[index] = { status: "rejected", reason: notStartedError() };
        continue;
      }
      try {
        // Called inside try so a worker that throws before returning a promise is settled like any other failure.
        results[index] = { status: "fulfilled", value: await worker(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
