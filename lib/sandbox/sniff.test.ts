import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PNG_BYTES, wavBytes } from "@/tests/support/sandbox";
import { sniffUpload } from "./sniff";

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(process.cwd(), "tests", "fixtures", "media", name)));

describe("sniffUpload (the sandbox's own content check)", () => {
  it.each([
    ["banner.png", "image/png"],
    ["photo.jpg", "image/jpeg"],
    ["animated.gif", "image/gif"],
    ["favicon.ico", "image/x-icon"],
    ["logo.svg", "image/svg+xml"],
    ["script.svg", "image/svg+xml"],
    ["logo.svgz", "image/svg+xml"],
    ["page.djvu", "image/vnd.djvu"],
    ["tiny.wbmp", "image/vnd.wap.wbmp"],
    ["leaflet.pdf", "application/pdf"],
    ["bundle.zip", "application/zip"],
    ["formula.odf", "application/zip"],
    ["archive.tar", "application/x-tar"],
    ["archive.tgz", "application/x-tar"],
    ["letter.rtf", "application/rtf"],
    ["memo.doc", "application/msword"],
    ["prices.xls", "application/vnd.ms-excel"],
    ["slides.ppt", "application/vnd.ms-powerpoint"],
    ["setup.cab", "application/vnd.ms-cab-compressed"],
    ["jingle.mp3", "audio/mpeg"],
    ["jingle.wav", "audio/wav"],
    ["jingle.ogg", "application/ogg"],
    ["jingle.aiff", "audio/x-aiff"],
    ["tune.mid", "audio/midi"],
    ["tune.rmi", "audio/midi"],
    ["voice.wma", "audio/x-ms-wma"],
    ["radio.ra", "audio/x-pn-realaudio"],
    ["stream.ram", "audio/x-pn-realaudio"],
    ["playlist.m3u", "audio/x-mpegurl"],
    ["clip.mp4", "video/mp4"],
    ["clip.3gp", "video/3gpp"],
    ["clip.3g2", "video/3gpp2"],
    ["clip.mov", "video/quicktime"],
    ["clip.avi", "video/avi"],
    ["clip.mpg", "video/mpeg"],
    ["notes.txt", "text/plain"],
    ["notes-cp1250.txt", "text/plain"],
    ["prices.csv", "text/csv"],
    ["Promo.java", "text/x-java-source"],
    ["contact.vcf", "text/x-vcard"],
    ["event.vcs", "text/x-vcalendar"],
    ["slideshow.smil", "application/smil+xml"],
  ])("reads %s as %s", async (name, contentType) => {
    expect(await sniffUpload(fixture(name), name)).toMatchObject({ ok: true, contentType });
  });

  it("judges by content: a PDF named .jpg is a PDF, a PNG without a name is a PNG", async () => {
    expect(await sniffUpload(fixture("offer.jpg"), "offer.jpg")).toMatchObject({ ok: true, contentType: "application/pdf" });
    expect(await sniffUpload(new Uint8Array(PNG_BYTES))).toEqual({ ok: true, contentType: "image/png", extension: "png" });
    expect(await sniffUpload(new Uint8Array(wavBytes()))).toEqual({ ok: true, contentType: "audio/wav", extension: "wav" });
  });

  it("refuses what the brief does not list, and bytes without a known signature", async () => {
    expect(await sniffUpload(fixture("setup.exe"), "setup.exe")).toEqual({ ok: false, reason: "application/x-msdownload" });
    expect(await sniffUpload(fixture("promo.webp"), "promo.webp")).toEqual({ ok: false, reason: "image/webp" });
    expect(await sniffUpload(fixture("page.html"), "page.txt")).toMatchObject({ ok: false, reason: expect.stringMatching(/^text\/html/) });
    expect(await sniffUpload(fixture("tiny.wbmp"), "tiny.bin")).toEqual({ ok: false, reason: "unrecognised content" });
    expect(await sniffUpload(new Uint8Array([0, 1, 2, 3, 0xff, 0xfe]))).toEqual({ ok: false, reason: "unrecognised content" });
    expect(await sniffUpload(new Uint8Array())).toEqual({ ok: false, reason: "the file is empty" });
  });
});
