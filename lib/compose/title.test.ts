import { describe, expect, it } from "vitest";
import { countCodePoints, measureTitle, TITLE_MAX } from "./title";

describe("measureTitle", () => {
  it("counts code points against the 40 limit", () => {
    expect(TITLE_MAX).toBe(40);
    expect(measureTitle("Spring sale")).toEqual({
      codePoints: 11,
      graphemes: 11,
      utf16: 11,
      remaining: 29,
      over: false,
      emojiNote: null,
    });
    expect(measureTitle("x".repeat(40))).toMatchObject({ remaining: 0, over: false });
    expect(measureTitle("x".repeat(41))).toMatchObject({ remaining: -1, over: true });
  });

  it("counts Polish letters as one each", () => {
    expect(measureTitle("Zażółć gęślą jaźń")).toMatchObject({ codePoints: 17, utf16: 17, emojiNote: null });
  });

  it("counts an emoji as one code point but two UTF-16 units", () => {
    expect(measureTitle("Sale 🎉")).toMatchObject({ codePoints: 6, graphemes: 6, utf16: 7, emojiNote: null });
  });

  it("explains symbols made of several code points", () => {
    const m = measureTitle("🇵🇱 👍🏽 👨‍👩‍👧");
    expect(m).toMatchObject({ codePoints: 11, graphemes: 5, utf16: 18 });
    expect(m.emojiNote).toBe("🇵🇱 counts as 2 characters, 👍🏽 as 2, 👨‍👩‍👧 as 5: the gateway counts each code point.");
  });

  it("names each such symbol once and at most three of them", () => {
    const m = measureTitle("🇵🇱🇵🇱 👍🏽 👨‍👩‍👧 🇩🇪");
    expect(m.emojiNote).toBe("🇵🇱 counts as 2 characters, 👍🏽 as 2, 👨‍👩‍👧 as 5: the gateway counts each code point.");
  });

  it("counts an accent typed as a separate mark together with its letter when they compose", () => {
    expect(measureTitle("Cafe\u0301")).toMatchObject({ codePoints: 4, emojiNote: null });
  });

  it("explains accent marks that do not compose into one character", () => {
    expect(measureTitle("x\u0301").emojiNote).toBe("x\u0301 counts as 2 characters: the gateway counts each code point.");
  });

  it("ignores spaces at either end, as they are trimmed before sending", () => {
    expect(measureTitle(`  ${"x".repeat(40)}  `)).toMatchObject({ codePoints: 40, over: false });
  });

  it("allows 40 emoji even though they are 80 UTF-16 units", () => {
    expect(measureTitle("🎉".repeat(40))).toMatchObject({ codePoints: 40, utf16: 80, over: false });
  });
});

describe("countCodePoints", () => {
  it("counts surrogate pairs once", () => {
    expect(countCodePoints("")).toBe(0);
    expect(countCodePoints("a🎉b")).toBe(3);
  });
});
