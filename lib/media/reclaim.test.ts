import { describe, expect, it } from "vitest";
import { collectGarbage } from "./reclaim";

const arrayBuffers = () => process.memoryUsage().arrayBuffers;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("collectGarbage: a full collection for the memory V8 cannot see", () => {
  it("frees the bytes a read Blob leaves behind, without --expose-gc and without exposing gc to anyone else", async () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    const size = 16 * 1024 * 1024;
    {
      // The server action's chunk: a Blob read to its end (upload-sessions.ts writes it to disk so).
      const reader = new Blob([new Uint8Array(size).fill(7)]).stream().getReader();
      for (let piece = await reader.read(); !piece.done; piece = await reader.read());
    }
    await settle();
    const before = arrayBuffers();
    expect(collectGarbage()).toBe(true);
    await settle();
    expect(before - arrayBuffers()).toBeGreaterThanOrEqual(size);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
