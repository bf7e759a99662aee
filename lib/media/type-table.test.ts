import { describe, expect, it } from "vitest";

import {
  ALLOWED_EXTENSIONS,
  MEDIA_TYPE_TABLE,
  canonicalContentType,
  canonicalContentTypesForExtension,
  defaultExtensionFor,
  describeContentType,
  dropzoneAccept,
  extensionsForContentType,
  kindForContentType,
  lookupByContentType,
  lookupByExtension,
} from "@/lib/media/type-table";

// Verbatim copy of the "It is possible to upload certain file types" table in brief-sending-mms.txt.
const BRIEF_TABLE = `
application/vnd.ms-excel xls xlm xla xlc xlt xlw
application/msword doc dot
application/vnd.ms-powerpoint ppt pps pot
application/rtf rtf
application/x-tar tgz tar
application/zip zip
application/pdf pdf
application/smil+xml smi smil
application/ogg ogg
application/vnd.ms-cab-compressed cab
application/vnd.oasis.opendocument.formula odf
application/vnd.oasis.opendocument.chart-template otc
application/vnd.oasis.opendocument.chart odc
audio/midi mid midi kar rmi
audio/mpeg mpga mp2 mp2a mp3 m2a m3a
audio/mpeg3 mp3
audio/mp3 mp3
audio/x-mpegurl m3u
audio/wav wav
audio/x-ms-wma wma
audio/x-aiff aif aiff aifc
audio/x-pn-realaudio ram ra
image/pjpeg pjpeg
image/gif gif
image/jpeg jpeg jpg jpe
image/jpg jpeg jpg jpe
image/png png
image/svg+xml svg svgz
image/vnd.djvu djvu djv
image/vnd.wap.wbmp wbmp wbmp
image/x-icon ico
text/plain txt text conf def list log in
text/richtext rtx
text/csv csv
text/x-java-source java
text/x-vcard vcf
text/x-vcalendar vcs
video/3gpp 3gp
video/3gpp2 3g2
video/quicktime qt mov
video/x-ms-asf asf asx
video/avi avi
video/x-msvideo avi
video/x-sgi-movie movie
video/mp4 mp4 mp4v mpg4
video/mpeg mpeg mpg mpe m1v m2v
`;

const briefRows = BRIEF_TABLE.trim()
  .split("\n")
  .map((line) => {
    const [contentType = "", ...extensions] = line.split(" ");
    return { contentType, extensions: [...new Set(extensions)] };
  });

describe("MEDIA_TYPE_TABLE", () => {
  it("has exactly the brief's rows, in order, with the same extensions", () => {
    expect(MEDIA_TYPE_TABLE.map((row) => ({ contentType: row.contentType, extensions: [...row.extensions] }))).toEqual(briefRows);
  });

  it("classifies archives, office, pdf, smil, cab and OpenDocument as documents", () => {
    for (const type of [
      "application/vnd.ms-excel",
      "application/msword",
      "application/vnd.ms-powerpoint",
      "application/rtf",
      "application/x-tar",
      "application/zip",
      "application/pdf",
      "application/smil+xml",
      "application/vnd.ms-cab-compressed",
      "application/vnd.oasis.opendocument.formula",
      "application/vnd.oasis.opendocument.chart-template",
      "application/vnd.oasis.opendocument.chart",
    ]) {
      expect(lookupByContentType(type)?.kind, type).toBe("document");
    }
    expect(kindForContentType("image/svg+xml")).toBe("image");
    expect(kindForContentType("video/mp4")).toBe("video");
    expect(kindForContentType("audio/wav")).toBe("audio");
    expect(kindForContentType("text/csv")).toBe("text");
  });

  it("gives every canonical type a default extension, a label and a noun", () => {
    for (const row of MEDIA_TYPE_TABLE) {
      const canonical = canonicalContentType(row.contentType) ?? "";
      const ext = defaultExtensionFor(canonical);
      expect(ext, row.contentType).toBeDefined();
      expect(extensionsForContentType(canonical)).toContain(ext);
      expect(describeContentType(canonical).label).not.toMatch(/unsupported/);
    }
  });
});

describe("lookups", () => {
  it("looks up by extension regardless of case and dot", () => {
    expect(lookupByExtension(".JPG").map((row) => row.contentType)).toEqual(["image/jpeg", "image/jpg"]);
    expect(lookupByExtension("mp3").map((row) => row.contentType)).toEqual(["audio/mpeg", "audio/mpeg3", "audio/mp3"]);
    expect(lookupByExtension("webp")).toEqual([]);
  });

  it("looks up by content type ignoring parameters and case", () => {
    expect(lookupByContentType("Text/Plain; charset=UTF-8")?.extensions).toContain("txt");
    expect(lookupByContentType("text/html")).toBeUndefined();
  });

  it("maps every alias to one canonical content type", () => {
    expect(canonicalContentType("image/jpg")).toBe("image/jpeg");
    expect(canonicalContentType("image/pjpeg")).toBe("image/jpeg");
    expect(canonicalContentType("audio/mpeg3")).toBe("audio/mpeg");
    expect(canonicalContentType("audio/mp3")).toBe("audio/mpeg");
    expect(canonicalContentType("video/avi")).toBe("video/x-msvideo");
    expect(canonicalContentType("image/png")).toBe("image/png");
    expect(canonicalContentType("image/webp")).toBeUndefined();
    expect(canonicalContentTypesForExtension("jpg")).toEqual(["image/jpeg"]);
    expect(canonicalContentTypesForExtension("avi")).toEqual(["video/x-msvideo"]);
  });

  it("unions the extensions of all spellings of a type", () => {
    expect([...extensionsForContentType("image/jpeg")].sort()).toEqual(["jpe", "jpeg", "jpg", "pjpeg"]);
    expect(extensionsForContentType("audio/mpeg")).toContain("mp3");
  });

  it("exposes the extension set and a react-dropzone accept map", () => {
    expect(ALLOWED_EXTENSIONS.has("wbmp")).toBe(true);
    expect(ALLOWED_EXTENSIONS.has("html")).toBe(false);
    const accept = dropzoneAccept();
    expect(accept["image/vnd.wap.wbmp"]).toEqual([".wbmp"]);
    expect(accept["video/mpeg"]).toContain(".m2v");
  });
});
