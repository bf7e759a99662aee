import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStoredUpload, sha256OfFile } from "./upload-check";
import { wavOfSize } from "@/tests/support/wav";
import { refuseBySize, validateMediaUpload } from "./validate";

const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "media");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mms-check-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Copies a fixture to an anonymous temp path, the way an assembled upload sits in <DATA_DIR>/uploads. */
function assembled(fixture: string): string {
  const target = path.join(dir, `${Math.random().toString(16).slice(2)}`);
  fs.copyFileSync(path.join(FIXTURES, fixture), target);
  return target;
}

// One sample of every family the brief's table accepts, as real bytes.
const ACCEPTED: [fixture: string, contentType: string, kind: string][] = [
  ["banner.png", "image/png", "image"],
  ["photo.jpg", "image/jpeg", "image"],
  ["animated.gif", "image/gif", "image"],
  ["logo.svg", "image/svg+xml", "image"],
  ["logo.svgz", "image/svg+xml", "image"],
  ["favicon.ico", "image/x-icon", "image"],
  ["tiny.wbmp", "image/vnd.wap.wbmp", "image"],
  ["page.djvu", "image/vnd.djvu", "image"],
  ["jingle.mp3", "audio/mpeg", "audio"],
  ["jingle.wav", "audio/wav", "audio"],
  ["jingle.ogg", "application/ogg", "audio"],
  ["jingle.aiff", "audio/x-aiff", "audio"],
  ["tune.mid", "audio/midi", "audio"],
  ["tune.rmi", "audio/midi", "audio"],
  ["voice.wma", "audio/x-ms-wma", "audio"],
  ["radio.ra", "audio/x-pn-realaudio", "audio"],
  ["clip.mp4", "video/mp4", "video"],
  ["clip.3gp", "video/3gpp", "video"],
  ["clip.3g2", "video/3gpp2", "video"],
  ["clip.mov", "video/quicktime", "video"],
  ["clip.avi", "video/x-msvideo", "video"],
  ["clip.mpg", "video/mpeg", "video"],
  ["notes.txt", "text/plain", "text"],
  ["notes-cp1250.txt", "text/plain", "text"],
  ["prices.csv", "text/csv", "text"],
  ["contact.vcf", "text/x-vcard", "text"],
  ["event.vcs", "text/x-vcalendar", "text"],
  ["playlist.m3u", "audio/x-mpegurl", "text"],
  ["Promo.java", "text/x-java-source", "text"],
  ["leaflet.pdf", "application/pdf", "document"],
  ["letter.rtf", "application/rtf", "document"],
  ["memo.doc", "application/msword", "document"],
  ["prices.xls", "application/vnd.ms-excel", "document"],
  ["slides.ppt", "application/vnd.ms-powerpoint", "document"],
  ["bundle.zip", "application/zip", "document"],
  ["archive.tar", "application/x-tar", "document"],
  ["archive.tgz", "application/x-tar", "document"],
  ["setup.cab", "application/vnd.ms-cab-compressed", "document"],
  ["formula.odf", "application/vnd.oasis.opendocument.formula", "document"],
  ["slideshow.smil", "application/smil+xml", "document"],
];

describe("checkStoredUpload accepts every family of the brief's type table by content", () => {
  it.each(ACCEPTED)("%s → %s", async (fixture, contentType, kind) => {
    const file = assembled(fixture);
    const { verdict } = await checkStoredUpload(file, fixture);
    expect(verdict).toMatchObject({ ok: true, contentType, kind, displayName: fixture, size: fs.statSync(file).size });
  });

  it("appends the real extension to a name without one", async () => {
    const { verdict } = await checkStoredUpload(assembled("banner.png"), "Baner jesień");
    expect(verdict).toMatchObject({ ok: true, displayName: "Baner jesień.png" });
  });

  it("makes a hostile name safe for display", async () => {
    const { verdict } = await checkStoredUpload(assembled("notes.txt"), '..\\..\\<img src=x onerror="alert(1)">notes.txt');
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.displayName).toBe("_img src=x onerror=_alert(1)__notes.txt");
  });
});

describe("checkStoredUpload refuses with a specific reason", () => {
  it("a PDF wearing a .jpg name (extension not consistent with content)", async () => {
    const { verdict } = await checkStoredUpload(assembled("offer.jpg"), "offer.jpg");
    expect(verdict).toMatchObject({ ok: false, code: "extension_mismatch" });
    if (!verdict.ok) expect(verdict.message).toBe('"offer.jpg" is a PDF document, not a JPEG image: rename it to .pdf or upload the real image.');
  });

  it("an empty file", async () => {
    const { verdict } = await checkStoredUpload(assembled("empty.bin"), "empty.txt");
    expect(verdict).toMatchObject({ ok: false, code: "empty" });
  });

  it.each([
    ["promo.webp", "WebP"],
    ["iphone.heic", "HEIC"],
    ["page.html", "HTML pages are not allowed"],
    ["setup.exe", "Programs and app packages"],
    ["report.docx", "Microsoft Office .docx"],
    ["letter.odt", "OpenDocument .odt"],
    ["other.cfb", "not a Word, Excel or PowerPoint document"],
  ])("%s (type not in the table)", async (fixture, reason) => {
    const { verdict } = await checkStoredUpload(assembled(fixture), fixture);
    expect(verdict).toMatchObject({ ok: false, code: "type_not_allowed" });
    if (!verdict.ok) expect(verdict.message).toContain(reason);
  });

  it("a name with hidden text-direction characters", async () => {
    const { verdict } = await checkStoredUpload(assembled("banner.png"), "photo\u202Egnp.png");
    expect(verdict).toMatchObject({ ok: false, code: "bad_name" });
  });
});

describe("refuseBySize", () => {
  it("refuses empty and oversized files from their size alone, in the validator's words", async () => {
    expect(await refuseBySize("a.png", 0)).toEqual({ code: "empty", message: '"a.png" is empty (0 bytes). Check the file on your computer and upload it again.' });
    const tooLarge = await refuseBySize("film.mp4", 20 * 1024 * 1024 + 1);
    expect(tooLarge?.code).toBe("too_large");
    expect(tooLarge?.message).toContain("at most 20 MB");
    expect(await refuseBySize("film.mp4", 20 * 1024 * 1024)).toBeNull();
  });
});

describe("sha256OfFile", () => {
  it("streams a file to the same digest as hashing it whole", async () => {
    const file = path.join(dir, "big.bin");
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    fs.writeFileSync(file, data);
    expect(await sha256OfFile(file)).toBe(createHash("sha256").update(data).digest("hex"));
  });
});


function assembledBytes(bytes: Uint8Array): string {
  const target = path.join(dir, `${Math.random().toString(16).slice(2)}`);
  fs.writeFileSync(target, bytes);
  return target;
}

describe("checkStoredUpload judges a file on disk exactly as validateMediaUpload judges its bytes", () => {
  const fixtures = fs.readdirSync(FIXTURES).filter((name) => fs.statSync(path.join(FIXTURES, name)).isFile());
  // Each fixture under its own name, under a wrong extension and without one: the same verdict either way.
  const cases = fixtures.flatMap((name) => [[name, name], [name, `${name}.png`], [name, "renamed"]]);

  it.each(cases)("%s named %s", async (fixture, name) => {
    const bytes = fs.readFileSync(path.join(FIXTURES, fixture));
    const { verdict } = await checkStoredUpload(assembled(fixture), name);
    expect(verdict).toEqual(await validateMediaUpload({ name, bytes }));
  });

  it("judges a 5 MB WAV from its head, without reading it whole", async () => {
    const wav = wavOfSize(5_000_000);
    const result = await checkStoredUpload(assembledBytes(wav), "jingle.wav");
    expect(result).toEqual({ verdict: await validateMediaUpload({ name: "jingle.wav", bytes: wav }), readWhole: false });
    expect(result.verdict).toMatchObject({ ok: true, contentType: "audio/wav", size: 5_000_000 });
  });

  it("reads a large text file whole: it must be clean to its last byte", async () => {
    const clean = Buffer.from("Promocja -20% w ten weekend.\n".repeat(100_000));
    const dirty = Buffer.concat([clean, Buffer.from([0x00, 0x01, 0x02])]);
    expect(await checkStoredUpload(assembledBytes(clean), "offer.txt")).toMatchObject({ verdict: { ok: true, contentType: "text/plain" }, readWhole: true });
    const refused = await checkStoredUpload(assembledBytes(dirty), "offer.txt");
    expect(refused).toMatchObject({ verdict: { ok: false, code: "type_not_allowed" }, readWhole: true });
    expect(refused.verdict).toEqual(await validateMediaUpload({ name: "offer.txt", bytes: dirty }));
  });

  it("a media header in front of text is not enough to skip reading: clean text stays text", async () => {
    // "ID3" and "RIFF" start ordinary words too; without a NUL in the head the whole file is read.
    const text = Buffer.from(`ID3 raport kampanii\n${"linia\n".repeat(20_000)}`);
    const result = await checkStoredUpload(assembledBytes(text), "raport.txt");
    expect(result.readWhole).toBe(true);
    expect(result.verdict).toEqual(await validateMediaUpload({ name: "raport.txt", bytes: text }));
  });
});
