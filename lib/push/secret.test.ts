import { describe, expect, it } from "vitest";
import { pushSecretMatches, pushUrl } from "./secret";

describe("push secret", () => {
  it("matches only the configured secret, and nothing when none is set", () => {
    expect(pushSecretMatches("0123456789abcdef", "0123456789abcdef")).toBe(true);
    expect(pushSecretMatches("0123456789abcdeF", "0123456789abcdef")).toBe(false);
    expect(pushSecretMatches("0123456789abcde", "0123456789abcdef")).toBe(false);
    expect(pushSecretMatches("", null)).toBe(false);
    expect(pushSecretMatches("anything", null)).toBe(false);
  });

  it("builds the URL from the public address, with or without a path or trailing slash", () => {
    expect(pushUrl("https://mms.example.com", "0123456789abcdef")).toBe("https://mms.example.com/api/push/0123456789abcdef");
    expect(pushUrl("http://127.0.0.1:3000/", "s-e.c_r~et0123456")).toBe("http://127.0.0.1:3000/api/push/s-e.c_r~et0123456");
  });
});
