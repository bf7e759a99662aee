import { describe, expect, it } from "vitest";
import { BATCH_SIZE_DEFAULT, BATCH_SIZE_MAX, BATCH_SIZE_MIN, splitIntoBatches } from "./lifecycle";

const numbers = (count: number) => Array.from({ length: count }, (_, i) => i);

describe("splitIntoBatches", () => {
  it("follows the gateway's advice of 50–200 numbers per request", () => {
    expect([BATCH_SIZE_MIN, BATCH_SIZE_DEFAULT, BATCH_SIZE_MAX]).toEqual([50, 200, 200]);
  });

  it("keeps order and puts the remainder in a smaller last batch", () => {
    const batches = splitIntoBatches(numbers(450), 200);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(batches.flat()).toEqual(numbers(450));
  });

  it("makes exact batches without an empty one at the end", () => {
    expect(splitIntoBatches(numbers(400), 200).map((b) => b.length)).toEqual([200, 200]);
    expect(splitIntoBatches(numbers(1), 50)).toEqual([[0]]);
    expect(splitIntoBatches([], 200)).toEqual([]);
  });

  it("handles 100 000 numbers", () => {
    const batches = splitIntoBatches(numbers(100_000), BATCH_SIZE_DEFAULT);
    expect(batches).toHaveLength(500);
    expect(batches.every((b) => b.length === 200)).toBe(true);
  });

  it("does not change the input", () => {
    const input = numbers(120);
    splitIntoBatches(input, 50);
    expect(input).toEqual(numbers(120));
  });

  it.each([0, 49, 201, 50.5, Number.NaN, -100])("refuses a batch size of %s", (size) => {
    expect(() => splitIntoBatches(numbers(10), size)).toThrow(RangeError);
  });
});
