import { describe, expect, it } from "vitest";
import { parseByteRange } from "./storage-range";

describe("parseByteRange", () => {
  it("sends the whole file without a usable Range header", () => {
    expect(parseByteRange(null, 100)).toBeNull();
    expect(parseByteRange("bytes=-", 100)).toBeNull();
    expect(parseByteRange("items=0-5", 100)).toBeNull();
    // Multi-range: answering with the whole file is allowed and keeps the server simple.
    expect(parseByteRange("bytes=0-1,5-6", 100)).toBeNull();
    expect(parseByteRange("bytes=9-3", 100)).toBeNull();
  });

  it("reads closed, open-ended and suffix ranges, clamped to the file", () => {
    expect(parseByteRange("bytes=0-0", 100)).toEqual({ start: 0, end: 0 });
    expect(parseByteRange("bytes=10-19", 100)).toEqual({ start: 10, end: 19 });
    expect(parseByteRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange("bytes=90-500", 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange("bytes=-500", 100)).toEqual({ start: 0, end: 99 });
  });

  it("reports ranges that start past the end as unsatisfiable", () => {
    expect(parseByteRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-0", 100)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=0-", 0)).toBe("unsatisfiable");
  });
});
