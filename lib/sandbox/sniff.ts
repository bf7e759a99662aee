import { fileTypeFromBuffer } from "file-type/core";

/*
 * The sandbox's own check of an uploaded file, deliberately independent of the app's
 * lib/media/detect.ts (issue 12 item 6): the double must judge files the way a gateway would, so a
 * bug in the app's detector shows up against it instead of hiding behind the same code. It is also
 * deliberately simpler: magic bytes (the `file-type` package, plus the few formats it does not know)
 * against the brief's allow-list (docs/brief-sending-mms.txt, "It is possible to upload certain file
 * types"), and the file name only to tell apart formats that share a container or are text either
 * way. The real gateway's rules are not published; where they are unknown this errs on accepting.
 */

export type SniffResult = { ok: true; contentType: string; extension: string } | { ok: false; reason: string };

/** file-type's answer (its MIME) → the brief's content type and the usual extension. */
const BY_FILE_TYPE: Record<string, { contentType: string; extension: string }> = {
  "image/gif": { contentType: "image/gif", extension: "gif" },
  "image/jpeg": { contentType: "image/jpeg", extension: "jpg" },
  "image/png": { contentType: "image/png", extension: "png" },
  "image/x-icon": { contentType: "image/x-icon", extension: "ico" },
  "application/pdf": { contentType: "application/pdf", extension: "pdf" },
  "application/zip": { contentType: "application/zip", extension: "zip" },
  "application/x-tar": { contentType: "application/x-tar", extension: "tar" },
  "application/rtf": { contentType: "application/rtf", extension: "rtf" },
  "application/vnd.ms-cab-compressed": { contentType: "application/vnd.ms-cab-compressed", extension: "cab" },
  "application/vnd.oasis.opendocument.formula": { contentType: "application/vnd.oasis.opendocument.formula", extension: "odf" },
  "application/vnd.oasis.opendocument.chart": { contentType: "application/vnd.oasis.opendocument.chart", extension: "odc" },
  "application/vnd.oasis.opendocument.chart-template": { contentType: "application/vnd.oasis.opendocument.chart-template", extension: "otc" },
  "audio/midi": { contentType: "audio/midi", extension: "mid" },
  "audio/mpeg": { contentType: "audio/mpeg", extension: "mp3" },
  "audio/wav": { contentType: "audio/wav", extension: "wav" },
  "audio/aiff": { contentType: "audio/x-aiff", extension: "aiff" },
  "audio/ogg": { contentType: "application/ogg", extension: "ogg" },
  "video/ogg": { contentType: "application/ogg", extension: "ogg" },
  "audio/x-ms-asf": { contentType: "audio/x-ms-wma", extension: "wma" },
  "video/x-ms-asf": { contentType: "video/x-ms-asf", extension: "asf" },
  "application/vnd.ms-asf": { contentType: "video/x-ms-asf", extension: "asf" },
  "video/mp4": { contentType: "video/mp4", extension: "mp4" },
  "video/3gpp": { contentType: "video/3gpp", extension: "3gp" },
  "video/3gpp2": { contentType: "video/3gpp2", extension: "3g2" },
  "video/quicktime": { contentType: "video/quicktime", extension: "mov" },
  "video/vnd.avi": { contentType: "video/avi", extension: "avi" },
  "video/mpeg": { contentType: "video/mpeg", extension: "mpg" },
  "video/MP2P": { contentType: "video/mpeg", extension: "mpg" },
  "video/MP1S": { contentType: "video/mpeg", extension: "mpg" },
};

/** OLE2 compound files: the brief's three old Office formats, told apart by the name. */
const OLE_BY_EXTENSION: Record<string, string> = {
  doc: "application/msword", dot: "application/msword",
  xls: "application/vnd.ms-excel", xlm: "application/vnd.ms-excel", xla: "application/vnd.ms-excel",
  xlc: "application/vnd.ms-excel", xlt: "application/vnd.ms-excel", xlw: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint", pps: "application/vnd.ms-powerpoint", pot: "application/vnd.ms-powerpoint",
};

/** Text files: the brief's text-like types by extension; anything else readable is text/plain. */
const TEXT_BY_EXTENSION: Record<string, string> = {
  csv: "text/csv", rtx: "text/richtext", java: "text/x-java-source", vcf: "text/x-vcard", vcs: "text/x-vcalendar",
  m3u: "audio/x-mpegurl", ram: "audio/x-pn-realaudio", smi: "application/smil+xml", smil: "application/smil+xml",
  svg: "image/svg+xml",
};

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

function extensionOf(name: string | undefined): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name ?? "");
  return match?.[1]?.toLowerCase() ?? "";
}

/** Formats with a signature file-type does not know (RIFF MIDI, RealAudio, DjVu). */
function otherSignature(bytes: Uint8Array): { contentType: string; extension: string } | null {
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "RMID") return { contentType: "audio/midi", extension: "rmi" };
  if (ascii(bytes, 0, 4) === ".ra\u00fd") return { contentType: "audio/x-pn-realaudio", extension: "ra" };
  if (ascii(bytes, 0, 8) === "AT&TFORM" && /^DJV[UMI]$/.test(ascii(bytes, 12, 16))) return { contentType: "image/vnd.djvu", extension: "djvu" };
  return null;
}

/** WBMP type 0 has no magic number: a zero type and header, then width and height, then exactly the rows. */
function isWbmp(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0 || bytes[1] !== 0) return false;
  let offset = 2;
  const readNumber = () => {
    let value = 0;
    for (let i = 0; i < 4 && offset < bytes.length; i++) {
      const byte = bytes[offset++] ?? 0;
      value = (value << 7) | (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    return -1;
  };
  const width = readNumber();
  const height = readNumber();
  return width > 0 && height > 0 && bytes.length - offset === Math.ceil(width / 8) * height;
}

/** Printable text in UTF-8 or a single-byte code page: no NULs, no control characters but tab, CR, LF, FF. */
function isText(bytes: Uint8Array): boolean {
  for (const byte of bytes.subarray(0, 64 * 1024)) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1a) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

function sniffText(bytes: Uint8Array, extension: string): SniffResult {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096)).replace(/^\uFEFF|^\u00ef\u00bb\u00bf/, "").trimStart().toLowerCase();
  if (/^<(!doctype html|html[\s>])/.test(head)) return { ok: false, reason: "text/html (web pages cannot be sent by MMS)" };
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(head)) return { ok: true, contentType: "image/svg+xml", extension: "svg" };
  if (/^(<\?xml[^>]*>\s*)?<smil[\s>]/.test(head)) return { ok: true, contentType: "application/smil+xml", extension: "smil" };
  if (head.startsWith("begin:vcard")) return { ok: true, contentType: "text/x-vcard", extension: "vcf" };
  if (head.startsWith("begin:vcalendar")) return { ok: true, contentType: "text/x-vcalendar", extension: "vcs" };
  if (head.startsWith("#extm3u")) return { ok: true, contentType: "audio/x-mpegurl", extension: "m3u" };
  const byName = TEXT_BY_EXTENSION[extension];
  if (byName && byName !== "image/svg+xml" && byName !== "application/smil+xml") return { ok: true, contentType: byName, extension };
  return { ok: true, contentType: "text/plain", extension: "txt" };
}

/** The brief's content type of `bytes`, or why it is not one the gateway takes. */
export async function sniffUpload(bytes: Uint8Array, name?: string): Promise<SniffResult> {
  if (bytes.byteLength === 0) return { ok: false, reason: "the file is empty" };
  const extension = extensionOf(name);
  const other = otherSignature(bytes);
  if (other) return { ok: true, ...other };
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const known = BY_FILE_TYPE[detected.mime];
    if (known) return { ok: true, ...known };
    if (detected.mime === "application/x-cfb") {
      return { ok: true, contentType: OLE_BY_EXTENSION[extension] ?? "application/msword", extension: OLE_BY_EXTENSION[extension] ? extension : "doc" };
    }
    // gzip is listed twice in the brief: compressed SVG (svgz) and tar (tgz).
    if (detected.mime === "application/gzip") {
      return extension === "svgz" ? { ok: true, contentType: "image/svg+xml", extension } : { ok: true, contentType: "application/x-tar", extension: "tgz" };
    }
    // file-type reads some text formats itself (XML, vCard, iCalendar); they are judged as text below.
    if (!/^(application\/xml|text\/)/.test(detected.mime)) return { ok: false, reason: detected.mime };
  }
  if (extension === "wbmp" && isWbmp(bytes)) return { ok: true, contentType: "image/vnd.wap.wbmp", extension };
  if (isText(bytes)) return sniffText(bytes, extension);
  return { ok: false, reason: "unrecognised content" };
}
