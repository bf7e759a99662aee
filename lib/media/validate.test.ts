import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { MEDIA_MAX_BYTES, formatFileSize } from "@/lib/media/limits";
import { validateMediaUpload, type MediaValidationResult } from "@/lib/media/validate";

const fixtureDir = new URL("../../tests/fixtures/media/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtureDir)));

type Accepted = Extract<MediaValidationResult, { ok: true }>;
type Refused = Extract<MediaValidationResult, { ok: false }>;

async function accepted(name: string, bytes: Uint8Array, declaredType?: string): Promise<Accepted> {
  const result = await validateMediaUpload({ name, bytes, declaredType });
  if (!result.ok) throw new Error(`expected acceptance, got ${result.code}: ${result.message}`);
  return result;
}

async function refused(name: string, bytes: Uint8Array): Promise<Refused> {
  const result = await validateMediaUpload({ name, bytes });
  if (result.ok) throw new Error(`expected refusal, got ${result.contentType}`);
  return result;
}

describe("validateMediaUpload: accepted uploads", () => {
  it.each([
    ["banner.png", "image/png", "image"],
    ["photo.jpg", "image/jpeg", "image"],
    ["animated.gif", "image/gif", "image"],
    ["script.svg", "image/svg+xml", "image"],
    ["leaflet.pdf", "application/pdf", "document"],
    ["memo.doc", "application/msword", "document"],
    ["jingle.mp3", "audio/mpeg", "audio"],
    ["clip.3gp", "video/3gpp", "video"],
    ["notes.txt", "text/plain", "text"],
    ["contact.vcf", "text/x-vcard", "text"],
  ])("%s → %s", async (name, contentType, kind) => {
    const bytes = fixture(name);
    const result = await accepted(name, bytes);
    expect(result).toMatchObject({ contentType, kind, displayName: name, size: bytes.byteLength });
    expect(result.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("gives identical content the same sha256 whatever its name (for de-duplication)", async () => {
    const a = await accepted("a.png", fixture("banner.png"));
    const b = await accepted("Baner lato.PNG", fixture("banner.png"));
    expect(a.sha256).toBe(b.sha256);
    expect(b.displayName).toBe("Baner lato.PNG");
  });

  it("appends the real extension to names without one", async () => {
    expect((await accepted("banner", fixture("banner.png"))).displayName).toBe("banner.png");
    expect((await accepted("summer.sale", fixture("photo.jpg"))).displayName).toBe("summer.sale.jpg");
    expect((await accepted("", fixture("leaflet.pdf"))).displayName).toBe("file.pdf");
    const csv = await accepted("ceny", fixture("prices.csv"), "text/csv");
    expect(csv).toMatchObject({ contentType: "text/csv", displayName: "ceny.csv" });
    // The declared type is only a hint: it cannot make text a PNG.
    expect(await accepted("ceny", fixture("prices.csv"), "image/png")).toMatchObject({ contentType: "text/plain", displayName: "ceny.txt" });
  });

  it("sanitises the display name", async () => {
    expect((await accepted("../../etc/passwd", fixture("notes.txt"))).displayName).toBe("passwd.txt");
    expect((await accepted("<img src=x onerror=alert(1)>.png", fixture("banner.png"))).displayName).toBe("_img src=x onerror=alert(1)_.png");
    expect((await accepted("Zażółć gęślą.jpg", fixture("photo.jpg"))).displayName).toBe("Zażółć gęślą.jpg");
    const long = await accepted(`${"x".repeat(500)}.jpg`, fixture("photo.jpg"));
    expect(long.displayName).toHaveLength(120);
    expect(long.displayName.endsWith(".jpg")).toBe(true);
  });

  it("accepts exactly 20 MB", async () => {
    const bytes = new Uint8Array(MEDIA_MAX_BYTES).fill(0x61);
    expect(await accepted("big.txt", bytes)).toMatchObject({ contentType: "text/plain", size: MEDIA_MAX_BYTES });
  });
});

describe("validateMediaUpload: refusals", () => {
  it("empty file", async () => {
    const result = await refused("empty.bin", fixture("empty.bin"));
    expect(result.code).toBe("empty");
    expect(result.message).toBe('"empty.bin" is empty (0 bytes). Check the file on your computer and upload it again.');
  });

  it("file over 20 MB (checked before the content)", async () => {
    const bytes = new Uint8Array(MEDIA_MAX_BYTES + 1);
    const result = await refused("film.mp4", bytes);
    expect(result.code).toBe("too_large");
    expect(result.message).toContain(`"film.mp4" is ${formatFileSize(MEDIA_MAX_BYTES + 1)}`);
    expect(result.message).toContain("at most 20 MB");
  });

  it("HTML page", async () => {
    const result = await refused("page.html", fixture("page.html"));
    expect(result.code).toBe("type_not_allowed");
    expect(result.message).toMatch(/^"page\.html" cannot be sent by MMS\. HTML pages are not allowed in MMS/);
  });

  it("EXE, WebP and HEIC", async () => {
    expect(await refused("setup.exe", fixture("setup.exe"))).toMatchObject({ code: "type_not_allowed" });
    const webp = await refused("promo.webp", fixture("promo.webp"));
    expect(webp.code).toBe("type_not_allowed");
    expect(webp.message).toContain("WebP images are not in the allowed list");
    expect((await refused("IMG_0001.HEIC", fixture("iphone.heic"))).message).toContain("HEIC");
  });

  it("a PDF called .jpg", async () => {
    const result = await refused("offer.jpg", fixture("offer.jpg"));
    expect(result).toEqual({
      ok: false,
      code: "extension_mismatch",
      message: '"offer.jpg" is a PDF document, not a JPEG image: rename it to .pdf or upload the real image.',
    });
  });

  it("other extension mismatches explain what to do", async () => {
    expect((await refused("budget.xls", fixture("memo.doc"))).message).toBe(
      '"budget.xls" is a Word document, not an Excel spreadsheet: rename it to .doc or upload the real spreadsheet.',
    );
    expect((await refused("photo.webp", fixture("banner.png"))).message).toBe(
      '"photo.webp" is a PNG image, not a .webp file: rename it to .png and upload it again.',
    );
    expect((await refused("logo.svg", fixture("logo.svgz"))).message).toBe(
      '"logo.svg" is a compressed SVG image (.svgz), not an SVG image: rename it to .svgz or upload the real image.',
    );
    expect((await refused("contact.txt", fixture("contact.vcf"))).code).toBe("extension_mismatch");
  });

  it("bidi-override names", async () => {
    // Displays as "photoexe.png"; after stripping the override the real .exe suffix shows.
    const disguised = await refused("photo\u202Egnp.exe", fixture("banner.png"));
    expect(disguised.code).toBe("extension_mismatch");
    expect(disguised.message).toContain('"photognp.exe"');
    // Content and extension agree, but the name is still built to mislead.
    const tricky = await refused("ann\u202Egnp.png", fixture("banner.png"));
    expect(tricky.code).toBe("bad_name");
    expect(tricky.message).toContain('"anngnp.png"');
    // A real program is refused for its content before the name is looked at.
    expect((await refused("photo\u202Egnp.exe", fixture("setup.exe"))).code).toBe("type_not_allowed");
  });
});

describe("formatFileSize", () => {
  it("rounds up so sizes over the limit never read as the limit", () => {
    expect(formatFileSize(MEDIA_MAX_BYTES + 1)).toBe("20.1 MB");
    expect(formatFileSize(MEDIA_MAX_BYTES)).toBe("20.0 MB");
    expect(formatFileSize(1500)).toBe("2 KB");
    expect(formatFileSize(999)).toBe("999 B");
  });
});
