import { describe, expect, it } from "vitest";
import { safeReturnPath, SignInSchema } from "./schemas";

describe("safeReturnPath", () => {
  const refused: [string, unknown][] = [
    ["TAB after the first slash", "/\t/evil.example"],
    ["CR after the first slash", "/\r/evil.example"],
    ["LF after the first slash", "/\n/evil.example"],
    ["TABs inside //", "/\t\t/evil.example"],
    ["a TAB before //", "\t//evil.example"],
    ["a NUL byte", "/\u0000/evil.example"],
    ["DEL", "/\u007f/evil.example"],
    ["a backslash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["slash backslash slash", "/\\/evil.example"],
    ["//", "//evil.example"],
    ["/\\", "/\\evil.example"],
    ["///", "///evil.example"],
    ["dot segments collapsing into //", "/..//evil.example"],
    ["a dot segment before //", "/.//evil.example"],
    ["an encoded TAB", "/%09/evil.example"],
    ["an encoded CR", "/%0d/evil.example"],
    ["an encoded backslash", "/%5C/evil.example"],
    ["an encoded backslash, lower case", "/%5c/evil.example"],
    ["an encoded slash", "/%2F/evil.example"],
    ["an encoded slash at the start", "%2F%2Fevil.example"],
    ["an absolute https URL", "https://evil.example"],
    ["an absolute http URL to a path", "http://evil.example/media"],
    ["an absolute URL with a TAB in the scheme", "ht\ttps://evil.example/"],
    ["a scheme-relative URL with userinfo", "//app@evil.example"],
    ["javascript:", "javascript:alert(1)"],
    ["JavaScript: with spaces", " javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a relative path", "evil.example"],
    ["an empty string", ""],
    ["a very long path", `/${"a".repeat(3000)}`],
    ["undefined", undefined],
    ["null", null],
    ["an array (a repeated query parameter)", ["/media", "//evil.example"]],
    ["a number", 42],
  ];
  for (const [name, value] of refused) {
    it(`refuses ${name}`, () => {
      expect(safeReturnPath(value)).toBe("/");
    });
  }

  const kept: [string, string][] = [
    ["/", "/"],
    ["/media", "/media"],
    ["/history/00000000-0000-4000-8000-000000000000", "/history/00000000-0000-4000-8000-000000000000"],
    ["/history?status=failed&page=2", "/history?status=failed&page=2"],
    ["/compose#recipients", "/compose#recipients"],
    ["/history?status=failed#list", "/history?status=failed#list"],
    ["/media?q=a%2Fb", "/media?q=a%2Fb"],
    ["/@evil.example", "/@evil.example"],
  ];
  for (const [value, expected] of kept) {
    it(`keeps ${value}`, () => {
      expect(safeReturnPath(value)).toBe(expected);
    });
  }

  it("normalises what it keeps, so the browser reads exactly what was checked", () => {
    expect(safeReturnPath("/media/../history")).toBe("/history");
    expect(safeReturnPath("/media?q=a b")).toBe("/media?q=a%20b");
  });
});

describe("SignInSchema", () => {
  it("turns any next value into a safe return path", () => {
    const base = { email: "Alice@Example.com ", password: "x" };
    expect(SignInSchema.parse({ ...base, next: "/\t/evil.example" }).next).toBe("/");
    expect(SignInSchema.parse({ ...base, next: "/media?x=1" }).next).toBe("/media?x=1");
    expect(SignInSchema.parse(base)).toEqual({ email: "alice@example.com", password: "x", next: "/" });
  });
});
