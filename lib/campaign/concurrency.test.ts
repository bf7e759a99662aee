import { describe, expect, it } from "vitest";
import { runWithConcurrency } from "./concurrency";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("runWithConcurrency", () => {
  it("never has more than `limit` calls in flight, and uses all of them", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runWithConcurrency(Array.from({ length: 20 }, (_, i) => i), 3, async (item) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(1 + (item % 4));
      inFlight--;
      return item * 2;
    });
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => ({ status: "fulfilled", value: i * 2 })));
  });

  it("starts the next item as soon as any one finishes, not batch by batch", async () => {
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    const run = runWithConcurrency([0, 1, 2, 3], 2, (item) => {
      started.push(item);
      return new Promise<number>((resolve) => finish.set(item, () => resolve(item)));
    });
    await tick(0);
    expect(started).toEqual([0, 1]);
    finish.get(1)?.();
    await tick(0);
    expect(started).toEqual([0, 1, 2]);
    finish.get(2)?.();
    await tick(0);
    expect(started).toEqual([0, 1, 2, 3]);
    finish.get(0)?.();
    finish.get(3)?.();
    expect((await run).map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
  });

  it("returns results in input order even when they finish out of order", async () => {
    const delays = [30, 5, 20, 1, 10];
    const results = await runWithConcurrency(delays, 5, async (delay, index) => {
      await tick(delay);
      return `item ${index}`;
    });
    expect(results).toEqual(delays.map((_, i) => ({ status: "fulfilled", value: `item ${i}` })));
  });

  it("settles each failure on its own and never rejects as a whole", async () => {
    const boom = new Error("gateway said no");
    const results = await runWithConcurrency([1, 2, 3, 4], 2, async (item) => {
      if (item === 2) throw boom;
      return item;
    });
    expect(results).toEqual([
      { status: "fulfilled", value: 1 },
      { status: "rejected", reason: boom },
      { status: "fulfilled", value: 3 },
      { status: "fulfilled", value: 4 },
    ]);
  });

  it("settles a worker that throws before returning a promise", async () => {
    const results = await runWithConcurrency([1], 1, () => {
      throw new TypeError("synchronous");
    });
    expect(results[0]).toMatchObject({ status: "rejected", reason: expect.any(TypeError) });
  });

  it("stops starting new items once aborted; those come back as AbortError, running ones finish", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const results = await runWithConcurrency(
      [0, 1, 2, 3, 4, 5],
      2,
      async (item) => {
        started.push(item);
        if (item === 2) controller.abort();
        await tick(5);
        return item;
      },
      { signal: controller.signal },
    );
    expect(started).toEqual([0, 1, 2]);
    expect(results.slice(0, 3)).toEqual([0, 1, 2].map((value) => ({ status: "fulfilled", value })));
    for (const result of results.slice(3)) {
      expect(result.status).toBe("rejected");
      expect(result.status === "rejected" && result.reason).toMatchObject({ name: "AbortError" });
    }
  });

  it("starts nothing when already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const results = await runWithConcurrency([1, 2], 1, async () => ++calls, { signal: controller.signal });
    expect(calls).toBe(0);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("handles no items and a limit larger than the list", async () => {
    expect(await runWithConcurrency([], 4, async () => 1)).toEqual([]);
    expect(await runWithConcurrency([7], 10, async (x) => x)).toEqual([{ status: "fulfilled", value: 7 }]);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a limit of %s", async (limit) => {
    await expect(runWithConcurrency([1], limit, async (x) => x)).rejects.toThrow(RangeError);
  });
});
