import { constants, PerformanceObserver } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { collectGarbage, crossedCollectionPoint } from "./reclaim";

/** The garbage collections V8 reports while `during` runs (and 100 ms after it). */
async function collectionsDuring(during: () => void): Promise<{ kind: number; flags: number }[]> {
  const seen: { kind: number; flags: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) seen.push((entry as PerformanceEntry & { detail: { kind: number; flags: number } }).detail);
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    during();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    observer.disconnect();
  }
  return seen;
}

const forcedFull = (gc: { kind: number; flags: number }) =>
  gc.kind === constants.NODE_PERFORMANCE_GC_MAJOR && (gc.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0;

describe("collectGarbage: a full collection for the memory V8 cannot see", () => {
  it("has V8 run a full (mark-compact) collection, without --expose-gc and without exposing gc to anyone else", async () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    // V8 never forces a collection by itself: a forced one is the one asked for.
    expect((await collectionsDuring(() => undefined)).some(forcedFull)).toBe(false);
    let asked = false;
    expect((await collectionsDuring(() => (asked = collectGarbage()))).some(forcedFull)).toBe(true);
    expect(asked).toBe(true);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});

describe("crossedCollectionPoint: which chunk is followed by a collection", () => {
  it("is the chunk that brings the bytes written past a multiple of the interval", () => {
    const every = 4;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((received) => crossedCollectionPoint(received, 1, every))).toEqual([false, false, false, true, false, false, false, true, false]);
    // Chunks larger than the interval cross it every time.
    expect(crossedCollectionPoint(10, 5, every)).toBe(true);
    expect(crossedCollectionPoint(15, 5, every)).toBe(true);
    expect(crossedCollectionPoint(2, 2, every)).toBe(false);
  });
});
