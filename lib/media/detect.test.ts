import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { detectMediaType, isExtensionConsistent, type DetectedType } from "@/lib/media/detect";

const fixtureDir = new URL("../../tests/fixtures/media/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtureDir)));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function detected(bytes: Uint8Array, name?: string): Promise<DetectedType> {
  const result = await detectMediaType(bytes, name);
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.reason}`);
  return result.type;
}

async function refusal(bytes: Uint8Array, name?: string): Promise<string> {
  const result = await detectMediaType(bytes, name);
  if (result.ok) throw new Error(`expected refusal, got ${result.type.contentType}`);
  return result.reason;
}

// [fixture, content type, kind, extension, needs the name to pick the subtype]
const FAMILIES: Array<[string, string, DetectedType["kind"], string, boolean]> = [
  ["banner.png", "image/png", "image", "png", false],
  ["photo.jpg", "image/jpeg", "image", "jpg", false],
  ["animated.gif", "image/gif", "image", "gif", false],
  ["favicon.ico", "image/x-icon", "image", "ico", false],
  ["logo.svg", "image/svg+xml", "image", "svg", false],
  ["script.svg", "image/svg+xml", "image", "svg", false],
  ["logo.svgz", "image/svg+xml", "image", "svgz", false],
  ["page.djvu", "image/vnd.djvu", "image", "djvu", false],
  ["tiny.wbmp", "image/vnd.wap.wbmp", "image", "wbmp", true],
  ["leaflet.pdf", "application/pdf", "document", "pdf", false],
  ["bundle.zip", "application/zip", "document", "zip", false],
  ["formula.odf", "application/vnd.oasis.opendocument.formula", "document", "odf", false],
  ["archive.tar", "application/x-tar", "document", "tar", false],
  ["archive.tgz", "application/x-tar", "document", "tgz", false],
  ["letter.rtf", "application/rtf", "document", "rtf", false],
  ["memo.doc", "application/msword", "document", "doc", false],
  ["embedded.doc", "application/msword", "document", "doc", false],
  ["prices.xls", "application/vnd.ms-excel", "document", "xls", false],
  ["slides.ppt", "application/vnd.ms-powerpoint", "document", "ppt", false],
  ["setup.cab", "application/vnd.ms-cab-compressed", "document", "cab", false],
  ["slideshow.smil", "application/smil+xml", "document", "smil", false],
  ["jingle.mp3", "audio/mpeg", "audio", "mp3", false],
  ["jingle.wav", "audio/wav", "audio", "wav", false],
  ["jingle.ogg", "application/ogg", "audio", "ogg", false],
  ["jingle.aiff", "audio/x-aiff", "audio", "aiff", false],
  ["tune.mid", "audio/midi", "audio", "mid", false],
  ["tune.rmi", "audio/midi", "audio", "rmi", false],
  ["voice.wma", "audio/x-ms-wma", "audio", "wma", false],
  ["radio.ra", "audio/x-pn-realaudio", "audio", "ra", false],
  ["stream.ram", "audio/x-pn-realaudio", "text", "ram", true],
  ["playlist.m3u", "audio/x-mpegurl", "text", "m3u", false],
  ["clip.mp4", "video/mp4", "video", "mp4", false],
  ["clip.3gp", "video/3gpp", "video", "3gp", false],
  ["clip.3g2", "video/3gpp2", "video", "3g2", false],
  ["clip.mov", "video/quicktime", "video", "mov", false],
  ["clip.avi", "video/x-msvideo", "video", "avi", false],
  ["clip.mpg", "video/mpeg", "video", "mpg", false],
  ["notes.txt", "text/plain", "text", "txt", false],
  ["notes-cp1250.txt", "text/plain", "text", "txt", false],
  ["contact.vcf", "text/x-vcard", "text", "vcf", false],
  ["event.vcs", "text/x-vcalendar", "text", "vcs", false],
  ["prices.csv", "text/csv", "text", "csv", true],
  ["Promo.java", "text/x-java-source", "text", "java", true],
];

describe("detectMediaType: accepted families (real fixture bytes)", () => {
  it.each(FAMILIES)("%s → %s", async (name, contentType, kind, extension, needsName) => {
    expect(await detected(fixture(name), name)).toEqual({ contentType, kind, extension });
    if (!needsName) {
      // Content alone decides: the same verdict without any name.
      expect(await detected(fixture(name))).toEqual({ contentType, kind, extension });
    }
  });

  it("ignores a misleading name for the type (content wins)", async () => {
    expect(await detected(fixture("banner.png"), "holiday.jpg")).toEqual({ contentType: "image/png", kind: "image", extension: "png" });
    expect(await detected(fixture("leaflet.pdf"), "offer.jpg")).toMatchObject({ contentType: "application/pdf", extension: "pdf" });
    expect(await detected(fixture("memo.doc"), "budget.xls")).toMatchObject({ contentType: "application/msword", extension: "doc" });
  });

  it("keeps the uploader's extension when it is a listed alternative", async () => {
    expect((await detected(fixture("photo.jpg"), "photo.JPE")).extension).toBe("jpe");
    expect((await detected(fixture("memo.doc"), "template.dot")).extension).toBe("dot");
    expect((await detected(fixture("prices.xls"), "old.xlw")).extension).toBe("xlw");
    expect((await detected(fixture("notes.txt"), "server.conf")).extension).toBe("conf");
    expect((await detected(fixture("notes.txt"), "app.log")).extension).toBe("log");
  });

  it("uses the name only to pick among text subtypes, never to turn text into something else", async () => {
    expect(await detected(fixture("prices.csv"))).toMatchObject({ contentType: "text/plain", extension: "txt" });
    expect(await detected(fixture("notes.txt"), "notes.jpg")).toMatchObject({ contentType: "text/plain", extension: "txt" });
    expect(await detected(utf8("just some words\n"), "list.m3u")).toMatchObject({ contentType: "text/plain" });
    expect(await detected(utf8("/music/a.mp3\n/music/b.mp3\n"), "list.m3u")).toMatchObject({ contentType: "audio/x-mpegurl" });
    expect(await detected(utf8("<bold>Promo</bold><nl>"), "promo.rtx")).toMatchObject({ contentType: "text/richtext", extension: "rtx" });
  });

  it("recognises prose that starts like a binary magic number as text", async () => {
    expect(await detected(utf8("BMW i3 w promocji do końca tygodnia!\n"))).toMatchObject({ contentType: "text/plain" });
    expect(await detected(utf8("MZK Toruń: nowy rozkład\n"))).toMatchObject({ contentType: "text/plain" });
    expect(await detected(utf8("<Imię>, mamy dla Ciebie rabat -20%\n"))).toMatchObject({ contentType: "text/plain" });
    expect(await detected(utf8("FORMULARZ zgłoszeniowy\nImię:\nNazwisko:\n"), "formularz.txt")).toMatchObject({ contentType: "text/plain" });
    expect(await detected(utf8("ID3 to znacznik w plikach MP3\n"))).toMatchObject({ contentType: "text/plain" });
    expect(await detected(utf8("OggS? Nie, to zwykły tekst.\n"))).toMatchObject({ contentType: "text/plain" });
  });

  it("recognises SMIL and SVG roots behind XML prologs, comments and doctypes", async () => {
    const svg = `\uFEFF<?xml version="1.0"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY x "y"> ]>\n<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>`;
    expect(await detected(utf8(svg))).toMatchObject({ contentType: "image/svg+xml", extension: "svg" });
    expect(await detected(utf8('<?xml version="1.0"?><smil xmlns="http://www.w3.org/ns/SMIL"><body/></smil>'))).toMatchObject({
      contentType: "application/smil+xml",
    });
    expect(await detected(utf8('<ASX version="3.0"><Entry><Ref href="mms://example.com/a.asf"/></Entry></ASX>'))).toEqual({
      contentType: "video/x-ms-asf",
      extension: "asx",
      kind: "text",
    });
  });

  it("recognises an Ogg Theora stream as video and an SGI movie header", async () => {
    const page = new Uint8Array(64);
    page.set(utf8("OggS"), 0);
    page.set([0x80, ...utf8("theora")], 28);
    expect(await detected(page)).toEqual({ contentType: "application/ogg", kind: "video", extension: "ogg" });
    const sgi = new Uint8Array(32);
    sgi.set([...utf8("MOVI"), 2], 0);
    expect(await detected(sgi)).toEqual({ contentType: "video/x-sgi-movie", kind: "video", extension: "movie" });
  });
});

describe("detectMediaType: refusals", () => {
  it("refuses HTML pages by name of the format", async () => {
    expect(await refusal(fixture("page.html"), "page.html")).toMatch(/^HTML pages are not allowed in MMS/);
    // Even when disguised as text.
    expect(await refusal(utf8("<html><body>hi</body></html>"), "promo.txt")).toMatch(/^HTML pages are not allowed in MMS/);
    expect(await refusal(utf8("  <script>alert(1)</script>"))).toMatch(/HTML pages/);
  });

  it("refuses programs, WebP, HEIC and other formats outside the list, naming them", async () => {
    expect(await refusal(fixture("setup.exe"), "setup.exe")).toMatch(/Programs and app packages \(\.exe\) are not allowed/);
    expect(await refusal(fixture("promo.webp"), "promo.webp")).toMatch(/^WebP images are not in the allowed list/);
    expect(await refusal(fixture("promo.webp"), "promo.jpg")).toMatch(/^WebP images/);
    expect(await refusal(fixture("iphone.heic"))).toMatch(/^HEIC\/HEIF photos/);
  });

  it("refuses zip-based Office Open XML and OpenDocument text files, naming them", async () => {
    expect(await refusal(fixture("report.docx"), "report.docx")).toMatch(/^Microsoft Office \.docx files are not in the allowed list/);
    expect(await refusal(fixture("report.docx"), "report.zip")).toMatch(/\.docx/);
    expect(await refusal(fixture("letter.odt"), "letter.odt")).toMatch(/^OpenDocument \.odt files are not in the allowed list/);
  });

  it("refuses compound files that are not Word/Excel/PowerPoint, whatever their name", async () => {
    expect(await refusal(fixture("other.cfb"), "report.doc")).toMatch(/not a Word, Excel or PowerPoint document/);
  });

  it("refuses generic XML, UTF-16 text, plain gzip and empty input", async () => {
    expect(await refusal(utf8('<?xml version="1.0"?><note><to>Ala</to></note>'))).toMatch(/XML documents \(<note>\) are not allowed/);
    expect(await refusal(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00]))).toMatch(/UTF-16/);
    // Long UTF-16 text whose 64 KB sample would end inside a surrogate pair (an emoji).
    const utf16 = Buffer.from(`\uFEFF${"a".repeat(32766)}😀${"b".repeat(100)}`, "utf16le");
    expect(await refusal(new Uint8Array(utf16))).toMatch(/UTF-16/);
    expect(await refusal(new Uint8Array(gzipSync(Buffer.from("not an svg at all"))))).toMatch(/Gzip-compressed files/);
    expect(await refusal(new Uint8Array(0))).toMatch(/empty/);
  });

  it("refuses binary noise it cannot recognise", async () => {
    const noise = new Uint8Array(2048);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251;
    expect(await refusal(noise, "mystery.png")).toMatch(/could not recognise/);
  });

  it("accepts WBMP only with a .wbmp name and a consistent header", async () => {
    const wbmp = fixture("tiny.wbmp");
    expect(await refusal(wbmp)).toMatch(/could not recognise/);
    expect(await refusal(wbmp, "tiny.png")).toMatch(/could not recognise/);
    const wrongLength = new Uint8Array([...wbmp, 0x00]);
    expect(await refusal(wrongLength, "tiny.wbmp")).toMatch(/not a valid WBMP/);
    const wrongType = Uint8Array.from(wbmp);
    wrongType[0] = 1;
    expect(await refusal(wrongType, "tiny.wbmp")).toMatch(/not a valid WBMP/);
  });
});

describe("isExtensionConsistent", () => {
  it("accepts any listed spelling of the detected type", () => {
    const jpeg: DetectedType = { contentType: "image/jpeg", extension: "jpg", kind: "image" };
    for (const ext of ["jpg", "JPEG", "jpe", "pjpeg"]) expect(isExtensionConsistent(jpeg, ext)).toBe(true);
    expect(isExtensionConsistent(jpeg, "png")).toBe(false);
  });

  it("keeps encodings apart: .svgz vs .svg, .tgz vs .tar, .ram vs .ra", () => {
    expect(isExtensionConsistent({ contentType: "image/svg+xml", extension: "svgz", kind: "image" }, "svg")).toBe(false);
    expect(isExtensionConsistent({ contentType: "image/svg+xml", extension: "svg", kind: "image" }, "svgz")).toBe(false);
    expect(isExtensionConsistent({ contentType: "application/x-tar", extension: "tgz", kind: "document" }, "tar")).toBe(false);
    expect(isExtensionConsistent({ contentType: "audio/x-pn-realaudio", extension: "ra", kind: "audio" }, "ram")).toBe(false);
  });
});
