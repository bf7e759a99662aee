import { describe, expect, it } from "vitest";

import { MEDIA_NAME_MAX } from "@/lib/media/limits";
import { hasBidiControls, safeDisplayName } from "@/lib/media/safe-name";

describe("safeDisplayName", () => {
  it("strips any path, Unix or Windows", () => {
    expect(safeDisplayName("../../etc/passwd")).toBe("passwd");
    expect(safeDisplayName("C:\\Users\\anna\\Pulpit\\baner.png")).toBe("baner.png");
    expect(safeDisplayName("..\\..\\windows/win.ini")).toBe("win.ini");
  });

  it("neutralises markup and quote characters", () => {
    const name = safeDisplayName(`<img src=x onerror="alert('x')">.png`);
    expect(name).toBe("_img src=x onerror=_alert(_x_)__.png");
    expect(name).not.toMatch(/[<>"'`]/);
    expect(safeDisplayName("a`b`.txt")).toBe("a_b_.txt");
  });

  it("removes bidi overrides so the real extension shows", () => {
    const trick = "invoice\u202Egnp.exe"; // renders as "invoiceexe.png" in many UIs
    expect(hasBidiControls(trick)).toBe(true);
    expect(safeDisplayName(trick)).toBe("invoicegnp.exe");
    expect(safeDisplayName("a\u2066b\u2067c\u2068d\u2069e\u202Af\u202Bg\u202Ch\u202Di.txt")).toBe("abcdefghi.txt");
  });

  it("removes control and zero-width characters and collapses whitespace", () => {
    expect(safeDisplayName("pro\u0000mo\u0007\u009B.txt")).toBe("promo.txt");
    expect(safeDisplayName("zero\u200Bwidth\u200C\u200D\uFEFF.txt")).toBe("zerowidth.txt");
    expect(safeDisplayName("  lato\t\t2025 \r\n promo  .jpg ")).toBe("lato 2025 promo .jpg");
    expect(safeDisplayName("header\r\nSet-Cookie: x=1.txt")).toBe("header Set-Cookie_ x=1.txt");
  });

  it("drops leading dots and trailing dots/spaces", () => {
    expect(safeDisplayName(".htaccess")).toBe("htaccess");
    expect(safeDisplayName("...hidden.png")).toBe("hidden.png");
    expect(safeDisplayName("name. . .")).toBe("name");
  });

  it("keeps Polish (and other) letters, in NFC form", () => {
    expect(safeDisplayName("Zażółć gęślą.jpg")).toBe("Zażółć gęślą.jpg");
    expect(safeDisplayName("Zaz\u0307o\u0301\u0142c\u0301.jpg")).toBe("Zażółć.jpg");
    expect(safeDisplayName("Ελληνικά 日本語.png")).toBe("Ελληνικά 日本語.png");
  });

  it("limits length in code points, keeping the extension", () => {
    const long = `${"ą".repeat(500)}.jpeg`;
    const name = safeDisplayName(long);
    expect([...name].length).toBe(MEDIA_NAME_MAX);
    expect(name.endsWith(".jpeg")).toBe(true);
    expect(name.startsWith("ąąą")).toBe(true);
    const emoji = safeDisplayName(`${"😀".repeat(300)}.png`);
    expect([...emoji].length).toBe(MEDIA_NAME_MAX);
    expect(emoji).not.toMatch(/\uFFFD/);
  });

  it("falls back to file(.ext) when nothing is left", () => {
    expect(safeDisplayName("")).toBe("file");
    expect(safeDisplayName("   ", "png")).toBe("file.png");
    expect(safeDisplayName("../../", ".pdf")).toBe("file.pdf");
    expect(safeDisplayName("\u202E\u200B", "txt")).toBe("file.txt");
  });
});
