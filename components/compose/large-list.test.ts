import { describe, expect, it } from "vitest";
import { countLines, isLargeList, LARGE_LIST_CHARS, textAfterPaste } from "./large-list";

describe("large pasted lists", () => {
  it("are large above the threshold only", () => {
    expect(isLargeList("x".repeat(LARGE_LIST_CHARS))).toBe(false);
    expect(isLargeList("x".repeat(LARGE_LIST_CHARS + 1))).toBe(true);
  });

  it("paste over the selection like the browser, with line breaks as LF", () => {
    expect(textAfterPaste("", 0, 0, "500600700\r\n600700800")).toBe("500600700\n600700800");
    expect(textAfterPaste("aaa\nbbb", 4, 7, "ccc")).toBe("aaa\nccc");
    expect(textAfterPaste("aaa", 3, 3, "\nbbb")).toBe("aaa\nbbb");
    expect(textAfterPaste("aaa", 9, 1, "b")).toBe("ab");
  });

  it("count lines without the trailing break", () => {
    expect(countLines("")).toBe(0);
    expect(countLines("a")).toBe(1);
    expect(countLines("a\nb\n")).toBe(2);
    expect(countLines("a\n\nb")).toBe(3);
  });
});
