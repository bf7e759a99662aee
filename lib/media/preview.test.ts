import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { THUMBNAIL_MAX_SIZE, makeImageThumbnail, textSnippet } from "@/lib/media/preview";

const fixtureDir = new URL("../../tests/fixtures/media/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtureDir)));

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny file whose header claims 20000×20000 pixels (400 MP): a decompression bomb in miniature. */
function pixelBombPng(): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale
  const rows = deflateSync(Buffer.alloc(10 * 2501));
  return new Uint8Array(
    Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), pngChunk("IHDR", ihdr), pngChunk("IDAT", rows), pngChunk("IEND", new Uint8Array(0))]),
  );
}

describe("makeImageThumbnail", () => {
  it.each([
    ["banner.png", "image/png"],
    ["photo.jpg", "image/jpeg"],
    ["photo.jpg", "image/pjpeg"],
    ["animated.gif", "image/gif"],
  ])("%s (%s) → WebP within 320×320", async (name, contentType) => {
    const thumbnail = await makeImageThumbnail(fixture(name), contentType);
    expect(thumbnail).toBeInstanceOf(Buffer);
    const metadata = await sharp(thumbnail as Buffer).metadata();
    expect(metadata.format).toBe("webp");
    expect(metadata.width).toBe(THUMBNAIL_MAX_SIZE);
    expect(metadata.height).toBe(240); // 640×480 and 400×300 keep their 4:3 aspect ratio
    expect(metadata.pages ?? 1).toBe(1); // animated GIF → first frame only
  });

  it("reads a stored file from its path the same way, and refuses a mislabelled one", async () => {
    const fromPath = await makeImageThumbnail(new URL("photo.jpg", fixtureDir).pathname, "image/jpeg");
    expect(fromPath).toEqual(await makeImageThumbnail(fixture("photo.jpg"), "image/jpeg"));
    expect(await makeImageThumbnail(new URL("leaflet.pdf", fixtureDir).pathname, "image/png")).toBeNull();
  });

  it("does not enlarge small images", async () => {
    const small = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c00" } }).png().toBuffer();
    const metadata = await sharp((await makeImageThumbnail(small, "image/png")) as Buffer).metadata();
    expect([metadata.width, metadata.height]).toEqual([40, 30]);
  });

  it("never rasterises SVG and returns null for formats sharp cannot read", async () => {
    expect(await makeImageThumbnail(fixture("logo.svg"), "image/svg+xml")).toBeNull();
    expect(await makeImageThumbnail(fixture("script.svg"), "image/svg+xml")).toBeNull();
    expect(await makeImageThumbnail(fixture("favicon.ico"), "image/x-icon")).toBeNull();
    expect(await makeImageThumbnail(fixture("page.djvu"), "image/vnd.djvu")).toBeNull();
    expect(await makeImageThumbnail(fixture("tiny.wbmp"), "image/vnd.wap.wbmp")).toBeNull();
    expect(await makeImageThumbnail(fixture("leaflet.pdf"), "application/pdf")).toBeNull();
  });

  it("returns null when the bytes are not the format claimed (an SVG passed as PNG is not rendered)", async () => {
    expect(await makeImageThumbnail(fixture("script.svg"), "image/png")).toBeNull();
    expect(await makeImageThumbnail(fixture("promo.webp"), "image/jpeg")).toBeNull();
    expect(await makeImageThumbnail(new Uint8Array([1, 2, 3, 4]), "image/png")).toBeNull();
  });

  it("returns null for images over the pixel limit", async () => {
    expect(await makeImageThumbnail(pixelBombPng(), "image/png")).toBeNull();
  });
});

describe("textSnippet", () => {
  it("shows the first lines of UTF-8 text with Polish letters", () => {
    expect(textSnippet(fixture("notes.txt"))).toBe("Zażółć gęślą jaźń — ZAŻÓŁĆ GĘŚLĄ JAŹŃ\nPromocja: kawa za 9,99 zł do niedzieli.");
  });

  it("decodes windows-1250 text to the same characters", () => {
    expect(textSnippet(fixture("notes-cp1250.txt"))).toBe(textSnippet(fixture("notes.txt")));
  });

  it("decodes ISO-8859-2 Polish text", () => {
    // "Świeże ąę" in ISO-8859-2: Ś=A6 w i e ż=BF e space ą=B1 ę=EA
    expect(textSnippet(new Uint8Array([0xa6, 0x77, 0x69, 0x65, 0xbf, 0x65, 0x20, 0xb1, 0xea]))).toBe("Świeże ąę");
  });

  it("strips control and bidi characters, keeps line structure, turns tabs into spaces", () => {
    const bytes = new TextEncoder().encode("\uFEFFa\u0007b\u001Bc\td\r\ne\u202Ef\u0000g\r\n\r\n");
    expect(textSnippet(bytes)).toBe("abc d\nefg");
  });

  it("limits lines and characters with an ellipsis", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `linia ${i + 1}`).join("\n");
    expect(textSnippet(new TextEncoder().encode(lines), 3)).toBe("linia 1\nlinia 2\nlinia 3…");
    const long = textSnippet(new TextEncoder().encode("ż".repeat(1000)), 6, 50);
    expect([...long]).toHaveLength(50);
    expect(long.endsWith("…")).toBe(true);
  });

  it("reads only a prefix of big files without breaking a multi-byte character", () => {
    const big = new TextEncoder().encode(`a${"ł".repeat(200_000)}`);
    const snippet = textSnippet(big, 1, 10);
    expect(snippet).toBe("ałłłłłłłł…");
  });
});
