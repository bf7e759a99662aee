/**
 * Content-based media type detection for MMS uploads.
 *
 * The decision is always made from the bytes. The file name is only consulted to choose between
 * formats that share one container or are plain text either way (doc vs dot, .csv vs .txt, an
 * M3U list of paths), never to accept bytes that do not look like an allowed format.
 *
 * Uses only web-standard APIs (TextDecoder, DecompressionStream) plus file-type's universal
 * "core" entry, so plain Node server code and workers can import it.
 */
import { fileTypeFromBuffer, type FileTypeResult } from "file-type/core";

import { extensionOf } from "@/lib/media/file-name";
import { decodeText, isDisallowedControl } from "@/lib/media/text-decode";
import {
  canonicalContentType,
  defaultExtensionFor,
  isExtensionAllowedFor,
  kindForContentType,
  normalizeExtension,
  type MediaKind,
} from "@/lib/media/type-table";

export type { MediaKind } from "@/lib/media/type-table";

export type DetectedType = { contentType: string; extension: string; kind: MediaKind };

export type DetectMediaResult = { ok: true; type: DetectedType } | { ok: false; reason: string };

const REASON_UNKNOWN =
  "We could not recognise this file's format, so it cannot be sent by MMS. Upload an image (JPEG, PNG, GIF), audio (MP3, WAV, MIDI), video (MP4, 3GP), a PDF or a plain text file.";

function refuse(reason: string): DetectMediaResult {
  return { ok: false, reason };
}

/**
 * Builds the result for an allowed content type. The uploader's extension is kept when it is one the
 * API lists for that content (".jpe", ".conf", ".dot"), otherwise the format's usual extension is used.
 */
function accept(contentType: string, nameExt: string | undefined, overrides?: { extension?: string; kind?: MediaKind }): DetectMediaResult {
  const canonical = canonicalContentType(contentType);
  const kind = overrides?.kind ?? kindForContentType(contentType);
  const fallbackExtension = overrides?.extension ?? defaultExtensionFor(contentType);
  if (canonical === undefined || kind === undefined || fallbackExtension === undefined) {
    // Only reachable through a programming error in this file; refusing is the safe failure.
    return refuse(REASON_UNKNOWN);
  }
  const extension =
    overrides?.extension === undefined && nameExt !== undefined && !EXCLUSIVE_EXTENSIONS.has(nameExt) && isExtensionAllowedFor(canonical, nameExt)
      ? nameExt
      : fallbackExtension;
  return { ok: true, type: { contentType: canonical, extension, kind } };
}

/**
 * Extensions that name one specific encoding of a content type: gzip-compressed SVG is not an
 * .svg, a .tgz is not a plain .tar, a text .ram metafile is not .ra audio, an .asx playlist is not
 * ASF video. Serving bytes under the sibling extension would break them, so these must match exactly.
 */
const EXCLUSIVE_EXTENSIONS: ReadonlySet<string> = new Set(["svgz", "tgz", "ram", "asx"]);

/** Whether a file name's extension is acceptable for content detected as `detected`. */
export function isExtensionConsistent(detected: DetectedType, extension: string): boolean {
  const ext = normalizeExtension(extension);
  if (EXCLUSIVE_EXTENSIONS.has(ext) || EXCLUSIVE_EXTENSIONS.has(detected.extension)) return ext === detected.extension;
  return isExtensionAllowedFor(detected.contentType, ext);
}

// ---------------------------------------------------------------------------------------------
// Refusal wording for formats file-type recognises but the API does not accept.
// ---------------------------------------------------------------------------------------------

const SAVE_AS_IMAGE = "save the picture as JPEG or PNG and upload it again.";
const CONVERT_VIDEO = "convert it to MP4 or 3GP and upload it again.";
const CONVERT_AUDIO = "convert it to MP3 and upload it again.";
const USE_ZIP = "pack the files as a ZIP archive instead.";
const SAVE_AS_PDF_OR_OLD_OFFICE = "save it as PDF (or in the older 97–2003 format) and upload it again.";

const OPEN_XML = new Set(["docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm", "pptx", "pptm", "ppsx", "ppsm", "potx", "potm", "vsdx"]);
const OPEN_DOCUMENT_OTHER = new Set(["odt", "ott", "ods", "ots", "odp", "otp", "odg", "otg"]);
const PROGRAMS = new Set(["exe", "elf", "macho", "class", "wasm", "jar", "apk", "crx", "xpi", "deb", "rpm", "dmg", "swf", "lnk", "alias", "reg", "nes", "asar"]);

const REFUSALS: Readonly<Record<string, string>> = {
  webp: `WebP images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  heic: `HEIC/HEIF photos (the iPhone format) are not in the allowed list: ${SAVE_AS_IMAGE}`,
  avif: `AVIF images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  bmp: `BMP images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  tif: `TIFF images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  psd: `Photoshop (PSD) files are not in the allowed list: export the picture as JPEG or PNG and upload it again.`,
  jxl: `JPEG XL images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  jp2: `JPEG 2000 images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  jpx: `JPEG 2000 images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  j2c: `JPEG 2000 images are not in the allowed list: ${SAVE_AS_IMAGE}`,
  cur: `Windows cursor files are not in the allowed list: ${SAVE_AS_IMAGE}`,
  icns: `macOS icon files are not in the allowed list: ${SAVE_AS_IMAGE}`,
  eps: `PostScript/EPS files are not in the allowed list: export it as PDF or PNG and upload it again.`,
  ps: `PostScript files are not in the allowed list: export it as PDF and upload it again.`,
  mkv: `Matroska (MKV) videos are not in the allowed list: ${CONVERT_VIDEO}`,
  webm: `WebM videos are not in the allowed list: ${CONVERT_VIDEO}`,
  flv: `Flash videos (FLV) are not in the allowed list: ${CONVERT_VIDEO}`,
  f4v: `Flash videos (F4V) are not in the allowed list: ${CONVERT_VIDEO}`,
  f4p: `Protected Flash videos are not in the allowed list: ${CONVERT_VIDEO}`,
  m4p: `Copy-protected iTunes videos cannot be sent by MMS: ${CONVERT_VIDEO}`,
  mts: `AVCHD camera videos (MTS) are not in the allowed list: ${CONVERT_VIDEO}`,
  mxf: `MXF videos are not in the allowed list: ${CONVERT_VIDEO}`,
  m4a: `M4A/AAC audio is not in the allowed list: ${CONVERT_AUDIO}`,
  m4b: `M4B audiobooks are not in the allowed list: ${CONVERT_AUDIO}`,
  f4a: `F4A audio is not in the allowed list: ${CONVERT_AUDIO}`,
  f4b: `F4B audio is not in the allowed list: ${CONVERT_AUDIO}`,
  aac: `AAC audio is not in the allowed list: ${CONVERT_AUDIO}`,
  flac: `FLAC audio is not in the allowed list: ${CONVERT_AUDIO}`,
  amr: `AMR voice recordings are not in the allowed list: ${CONVERT_AUDIO}`,
  ape: `Monkey's Audio (APE) files are not in the allowed list: ${CONVERT_AUDIO}`,
  wv: `WavPack audio is not in the allowed list: ${CONVERT_AUDIO}`,
  qcp: `QCP voice recordings are not in the allowed list: ${CONVERT_AUDIO}`,
  ac3: `AC-3 audio is not in the allowed list: ${CONVERT_AUDIO}`,
  mpc: `Musepack audio is not in the allowed list: ${CONVERT_AUDIO}`,
  rar: `RAR archives are not in the allowed list: ${USE_ZIP}`,
  "7z": `7-Zip archives are not in the allowed list: ${USE_ZIP}`,
  bz2: `bzip2 archives are not in the allowed list: ${USE_ZIP}`,
  xz: `XZ archives are not in the allowed list: ${USE_ZIP}`,
  zst: `Zstandard archives are not in the allowed list: ${USE_ZIP}`,
  lz: `Lzip archives are not in the allowed list: ${USE_ZIP}`,
  lz4: `LZ4 archives are not in the allowed list: ${USE_ZIP}`,
  lzh: `LZH archives are not in the allowed list: ${USE_ZIP}`,
  Z: `Unix compressed (.Z) files are not in the allowed list: ${USE_ZIP}`,
  arj: `ARJ archives are not in the allowed list: ${USE_ZIP}`,
  ace: `ACE archives are not in the allowed list: ${USE_ZIP}`,
  cpio: `CPIO archives are not in the allowed list: ${USE_ZIP}`,
  ar: `Unix ar archives are not in the allowed list: ${USE_ZIP}`,
  gz: `Gzip-compressed files are accepted only as .tgz (compressed TAR) archives or .svgz images: ${USE_ZIP}`,
  epub: `E-books (EPUB) are not in the allowed list: save it as PDF and upload it again.`,
  mobi: `E-books (MOBI) are not in the allowed list: save it as PDF and upload it again.`,
  sqlite: `Database files cannot be sent by MMS.`,
  pst: `Outlook data files cannot be sent by MMS.`,
  ttf: `Font files cannot be sent by MMS.`,
  otf: `Font files cannot be sent by MMS.`,
  woff: `Font files cannot be sent by MMS.`,
  woff2: `Font files cannot be sent by MMS.`,
  eot: `Font files cannot be sent by MMS.`,
  ttc: `Font files cannot be sent by MMS.`,
  pgp: `Encrypted (PGP) files cannot be sent by MMS.`,
};

function refusalFor(result: FileTypeResult): string {
  const ext = result.ext as string;
  if (OPEN_XML.has(ext)) {
    return `Microsoft Office .${ext} files are not in the allowed list: ${SAVE_AS_PDF_OR_OLD_OFFICE}`;
  }
  if (OPEN_DOCUMENT_OTHER.has(ext)) {
    return `OpenDocument .${ext} files are not in the allowed list: save it as PDF and upload it again.`;
  }
  if (PROGRAMS.has(ext)) {
    return `Programs and app packages (.${ext}) are not allowed in MMS.`;
  }
  return REFUSALS[ext] ?? `${ext.toUpperCase()} files (${result.mime}) are not in the allowed list for MMS.`;
}

// ---------------------------------------------------------------------------------------------
// Small binary helpers
// ---------------------------------------------------------------------------------------------

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let out = "";
  for (let i = offset; i < offset + length && i < bytes.length; i++) out += String.fromCharCode(bytes[i] ?? 0);
  return out;
}

function u16le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

function u32le(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16) | ((bytes[offset + 3] ?? 0) << 24)) >>> 0;
}

function u32be(bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// OLE2 / Compound File Binary: .doc, .xls and .ppt share the container; the root storage's
// stream names say which application wrote it. Walking the real directory tree (rather than
// searching for names anywhere) keeps a Word file with an embedded spreadsheet a Word file.
// ---------------------------------------------------------------------------------------------

const CFB_END_OF_CHAIN = 0xfffffffe;
const CFB_MAX_SECTOR = 0xfffffffa;

type CfbVerdict = { ok: true; contentType: string } | { ok: false; reason: string };

function cfbRootStreamNames(bytes: Uint8Array): Set<string> | undefined {
  const sectorShift = u16le(bytes, 0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return undefined;
  const sectorSize = 1 << sectorShift;
  // Rounded up: some writers omit the zero padding of the last sector.
  const sectorCount = Math.ceil((bytes.length - sectorSize) / sectorSize);
  const sectorOffset = (sector: number) => (sector + 1) * sectorSize;

  // FAT sector list: 109 DIFAT slots in the header, then chained DIFAT sectors.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const sector = u32le(bytes, 0x4c + i * 4);
    if (sector <= CFB_MAX_SECTOR && sector < sectorCount) fatSectors.push(sector);
  }
  let difat = u32le(bytes, 0x44);
  for (let guard = 0; difat <= CFB_MAX_SECTOR && difat < sectorCount && guard < sectorCount; guard++) {
    const base = sectorOffset(difat);
    const perSector = sectorSize / 4 - 1;
    for (let i = 0; i < perSector; i++) {
      const sector = u32le(bytes, base + i * 4);
      if (sector <= CFB_MAX_SECTOR && sector < sectorCount) fatSectors.push(sector);
    }
    difat = u32le(bytes, base + perSector * 4);
  }
  const entriesPerFatSector = sectorSize / 4;
  const nextSector = (sector: number): number => {
    const fatSector = fatSectors[Math.floor(sector / entriesPerFatSector)];
    if (fatSector === undefined) return CFB_END_OF_CHAIN;
    return u32le(bytes, sectorOffset(fatSector) + (sector % entriesPerFatSector) * 4);
  };

  // Directory stream: 128-byte entries across a FAT chain.
  const entryOffsets: number[] = [];
  const seen = new Set<number>();
  for (let sector = u32le(bytes, 0x30); sector <= CFB_MAX_SECTOR && sector < sectorCount && !seen.has(sector); sector = nextSector(sector)) {
    seen.add(sector);
    for (let i = 0; i < sectorSize / 128; i++) entryOffsets.push(sectorOffset(sector) + i * 128);
  }
  const root = entryOffsets[0];
  if (root === undefined || bytes[root + 0x42] !== 5) return undefined;

  const names = new Set<string>();
  const stack = [u32le(bytes, root + 0x4c)];
  const visited = new Set<number>();
  while (stack.length > 0) {
    const id = stack.pop();
    if (id === undefined || id > CFB_MAX_SECTOR || visited.has(id)) continue;
    visited.add(id);
    const offset = entryOffsets[id];
    if (offset === undefined || offset + 128 > bytes.length) continue;
    const nameLength = u16le(bytes, offset + 0x40);
    if (nameLength >= 2 && nameLength <= 64 && nameLength % 2 === 0) {
      let name = "";
      for (let i = 0; i < nameLength - 2; i += 2) name += String.fromCharCode(u16le(bytes, offset + i));
      names.add(name);
    }
    // Siblings share the root storage; children of sub-storages are deliberately not visited.
    stack.push(u32le(bytes, offset + 0x44), u32le(bytes, offset + 0x48));
  }
  return names;
}

function classifyCfb(bytes: Uint8Array, nameExt: string | undefined): CfbVerdict {
  const names = cfbRootStreamNames(bytes);
  if (names === undefined) {
    return { ok: false, reason: "This Office file is damaged and cannot be read. Open it, save it again (or save it as PDF) and upload the new file." };
  }
  if (names.has("EncryptedPackage") || names.has("EncryptionInfo")) {
    return { ok: false, reason: "Password-protected Office files cannot be sent by MMS: remove the password, save the file and upload it again." };
  }
  const candidates: string[] = [];
  if (names.has("WordDocument")) candidates.push("application/msword");
  if (names.has("PowerPoint Document")) candidates.push("application/vnd.ms-powerpoint");
  if (names.has("Workbook") || names.has("Book")) candidates.push("application/vnd.ms-excel");
  if (candidates.length > 1 && nameExt !== undefined) {
    // Same container, several applications' streams at the root (rare): the name picks among the real candidates only.
    const byName = candidates.find((contentType) => isExtensionAllowedFor(contentType, nameExt));
    if (byName !== undefined) return { ok: true, contentType: byName };
  }
  const first = candidates[0];
  if (first !== undefined) return { ok: true, contentType: first };

  const all = [...names];
  if (all.some((name) => name.startsWith("__substg1.0_") || name.startsWith("__properties_version1.0"))) {
    return { ok: false, reason: "Outlook e-mail messages (.msg) cannot be sent by MMS: save the content as PDF and upload that instead." };
  }
  // MSI packages store their table names in a compressed alphabet mapped to U+3800–U+4840.
  if (all.some((name) => [...name].some((char) => char.charCodeAt(0) >= 0x3800 && char.charCodeAt(0) <= 0x4840))) {
    return { ok: false, reason: "Windows installer packages (.msi) are not allowed in MMS." };
  }
  return {
    ok: false,
    reason: "This Microsoft compound file is not a Word, Excel or PowerPoint document, so it cannot be sent by MMS. Save it as PDF and upload that instead.",
  };
}

// ---------------------------------------------------------------------------------------------
// ZIP: OpenDocument files store an uncompressed "mimetype" entry first (ODF 1.2 §3.3). file-type
// only names the text/spreadsheet/presentation/graphics flavours, so the formula and chart types
// the API allows are read here.
// ---------------------------------------------------------------------------------------------

const ALLOWED_OPEN_DOCUMENT = new Set([
  "application/vnd.oasis.opendocument.formula",
  "application/vnd.oasis.opendocument.chart",
  "application/vnd.oasis.opendocument.chart-template",
]);

function zipOpenDocumentMimeType(bytes: Uint8Array): string | undefined {
  if (u32le(bytes, 0) !== 0x04034b50) return undefined;
  const method = u16le(bytes, 8);
  const compressedSize = u32le(bytes, 18);
  const nameLength = u16le(bytes, 26);
  const extraLength = u16le(bytes, 28);
  if (method !== 0 || ascii(bytes, 30, nameLength) !== "mimetype" || compressedSize > 200) return undefined;
  const start = 30 + nameLength + extraLength;
  if (start + compressedSize > bytes.length) return undefined;
  const value = ascii(bytes, start, compressedSize).trim().toLowerCase();
  return value.startsWith("application/vnd.oasis.opendocument.") ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Formats file-type does not know
// ---------------------------------------------------------------------------------------------

/** DjVu: "AT&T" + IFF "FORM" whose type is a single page (DJVU) or a bundle (DJVM). */
function isDjvu(bytes: Uint8Array): boolean {
  if (ascii(bytes, 0, 8) !== "AT&TFORM") return false;
  const formType = ascii(bytes, 12, 4);
  return (formType === "DJVU" || formType === "DJVM") && u32be(bytes, 8) + 12 <= bytes.length;
}

/** RealAudio 1.0–4.0 files start with ".ra" 0xFD (newer RealMedia ".RMF" is recognised by file-type). */
function isRealAudio(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 3) === ".ra" && bytes[3] === 0xfd;
}

/** SGI movie: "MOVI" followed by a small format version byte (as in libmagic's sgi definitions). */
function isSgiMovie(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 4) === "MOVI" && bytes.length > 8 && (bytes[4] ?? 0xff) <= 3;
}

/** RIFF-wrapped MIDI (.rmi): RIFF/RMID with a "data" chunk holding a standard MIDI file. */
function isRiffMidi(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "RMID" && ascii(bytes, 12, 4) === "data" && ascii(bytes, 20, 4) === "MThd";
}

/**
 * WBMP (WAP bitmap) has no magic number, so it is accepted only when the uploader called it .wbmp
 * AND every header field is consistent: type 0, fixed header 0, multi-byte width/height, and a
 * body of exactly ceil(width / 8) * height bytes.
 */
function isConsistentWbmp(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0 || bytes[1] !== 0) return false;
  let position = 2;
  const readMultiByte = (): number | undefined => {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const byte = bytes[position++];
      if (byte === undefined) return undefined;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    return undefined;
  };
  const width = readMultiByte();
  const height = readMultiByte();
  if (width === undefined || height === undefined || width < 1 || height < 1 || width > 16384 || height > 16384) return false;
  return position + Math.ceil(width / 8) * height === bytes.length;
}

/** file-type recognises ICO from four bytes; the directory must also point inside the file. */
function isConsistentIco(bytes: Uint8Array): boolean {
  const count = u16le(bytes, 4);
  if (count < 1 || 6 + count * 16 > bytes.length) return false;
  for (let i = 0; i < count; i++) {
    const entry = 6 + i * 16;
    const size = u32le(bytes, entry + 8);
    const offset = u32le(bytes, entry + 12);
    if (size === 0 || offset < 6 + count * 16 || offset + size > bytes.length) return false;
  }
  return true;
}

/** Inflates at most `limit` bytes from the start of a gzip stream (enough to see an SVG root element). */
async function gunzipPrefix(bytes: Uint8Array, limit: number): Promise<Uint8Array | undefined> {
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  // Not awaited: backpressure would block until the reader consumes everything; cancelling rejects these.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch {
    // Corrupt or truncated gzip: whatever was inflated so far is still usable for sniffing.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (total === 0) return undefined;
  const out = new Uint8Array(Math.min(total, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, out.length - offset);
    out.set(part, offset);
    offset += part.length;
    if (offset >= out.length) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text and markup
// ---------------------------------------------------------------------------------------------

type MarkupHead = { xmlDeclaration: boolean; doctype: string | undefined; root: string | undefined };

/** Reads past the XML prolog (declaration, PIs, comments, DOCTYPE) to the name of the first element. */
function readMarkupHead(text: string): MarkupHead {
  const head: MarkupHead = { xmlDeclaration: false, doctype: undefined, root: undefined };
  const source = text.slice(0, 65536);
  let i = 0;
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i] ?? "")) i++;
  };
  skipSpace();
  for (let guard = 0; guard < 256 && i < source.length; guard++) {
    if (source.startsWith("<?", i)) {
      if (source.slice(i, i + 6).toLowerCase().startsWith("<?xml") && /\s/.test(source[i + 5] ?? "")) head.xmlDeclaration = true;
      const end = source.indexOf("?>", i + 2);
      if (end === -1) return head;
      i = end + 2;
    } else if (source.startsWith("<!--", i)) {
      const end = source.indexOf("-->", i + 4);
      if (end === -1) return head;
      i = end + 3;
    } else if (source.slice(i, i + 9).toUpperCase() === "<!DOCTYPE") {
      head.doctype = /^<!doctype\s+([^\s>[]+)/i.exec(source.slice(i, i + 200))?.[1]?.toLowerCase();
      let inSubset = false;
      let j = i + 9;
      for (; j < source.length; j++) {
        const char = source[j];
        if (char === "[") inSubset = true;
        else if (char === "]") inSubset = false;
        else if (char === ">" && !inSubset) break;
      }
      if (j >= source.length) return head;
      i = j + 1;
    } else if (source[i] === "<") {
      head.root = /^<([A-Za-z_][\w.:-]*)/.exec(source.slice(i, i + 200))?.[1];
      return head;
    } else {
      return head;
    }
    skipSpace();
  }
  return head;
}

// The tags browsers use to sniff HTML (WHATWG MIME Sniffing §7.1) plus common page-level elements.
const HTML_ROOTS = new Set([
  "html", "head", "body", "script", "iframe", "h1", "h2", "h3", "h4", "h5", "h6", "div", "font", "table", "a", "style",
  "title", "b", "br", "p", "span", "img", "meta", "link", "form", "frameset", "object", "embed", "template", "main", "section",
]);

const PLAIN_TEXT_EXTENSIONS = new Set(["txt", "text", "conf", "def", "list", "log", "in"]);

function looksLikeM3uEntries(lines: string[]): boolean {
  const entries = lines.filter((line) => line.length > 0 && !line.startsWith("#"));
  return entries.length > 0 && entries.every((line) => /^[a-z][a-z0-9+.-]*:\/\//i.test(line) || /[\\/]/.test(line) || /\.[A-Za-z0-9]{2,5}$/.test(line));
}

function looksLikeRamEntries(lines: string[]): boolean {
  const entries = lines.filter((line) => line.length > 0 && !line.startsWith("#"));
  return entries.length > 0 && entries.every((line) => /^(rtsp|pnm|https?|file):\/\/\S+$/i.test(line));
}

/**
 * Plain text: no NUL bytes and only a handful of control characters (one stray control, e.g. a
 * DOS end-of-file mark, is tolerated in short files; otherwise at most 1%).
 */
function decodeIfText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  const { text } = decodeText(bytes);
  let controls = 0;
  let length = 0;
  for (const char of text) {
    length++;
    if (isDisallowedControl(char.codePointAt(0) ?? 0)) controls++;
  }
  if (length === 0) return undefined;
  return controls <= Math.max(1, Math.floor(length / 100)) ? text : undefined;
}

/**
 * Notepad's "Unicode" is UTF-16 with a byte-order mark. Checked before file-type because FF FE is
 * also a valid MPEG audio frame sync and would otherwise be reported as MP3.
 */
function isUtf16Text(bytes: Uint8Array): boolean {
  const bigEndian = bytes[0] === 0xfe && bytes[1] === 0xff;
  const littleEndian = bytes[0] === 0xff && bytes[1] === 0xfe;
  if ((!bigEndian && !littleEndian) || bytes.length % 2 !== 0) return false;
  let sampleLength = Math.min(bytes.length, 65536);
  const lastUnit = bigEndian
    ? ((bytes[sampleLength - 2] ?? 0) << 8) | (bytes[sampleLength - 1] ?? 0)
    : ((bytes[sampleLength - 1] ?? 0) << 8) | (bytes[sampleLength - 2] ?? 0);
  // Do not cut a surrogate pair in half: strict decoding would reject perfectly good text.
  if (sampleLength < bytes.length && lastUnit >= 0xd800 && lastUnit <= 0xdbff) sampleLength -= 2;
  let text: string;
  try {
    text = new TextDecoder(bigEndian ? "utf-16be" : "utf-16le", { fatal: true }).decode(bytes.subarray(0, sampleLength));
  } catch {
    return false;
  }
  let controls = 0;
  for (const char of text) if (char === "\0" || isDisallowedControl(char.codePointAt(0) ?? 0)) controls++;
  return controls <= Math.max(1, Math.floor(text.length / 100));
}

const REASON_UTF16 = 'This text file is saved as UTF-16 ("Unicode"), which MMS does not support. Save it as UTF-8 text and upload it again.';

async function detectText(bytes: Uint8Array, nameExt: string | undefined): Promise<DetectMediaResult | undefined> {
  const text = decodeIfText(bytes);
  if (text === undefined) return undefined;
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();

  if (trimmed.startsWith("<")) {
    const head = readMarkupHead(trimmed);
    const root = head.root;
    const localName = root?.split(":").pop() ?? "";
    if (head.doctype === "html" || (root !== undefined && HTML_ROOTS.has(root.toLowerCase()))) {
      return refuse("HTML pages are not allowed in MMS: send the content as a PDF, an image or plain text instead.");
    }
    if (localName === "svg") return accept("image/svg+xml", nameExt, { extension: "svg" });
    if (localName.toLowerCase() === "smil") return accept("application/smil+xml", nameExt);
    if (localName.toLowerCase() === "asx") return accept("video/x-ms-asf", nameExt, { extension: "asx", kind: "text" });
    if (head.xmlDeclaration) {
      const what = root === undefined ? "" : ` (<${root}>)`;
      return refuse(`XML documents${what} are not allowed in MMS: only SVG images and SMIL presentations are accepted.`);
    }
    // Otherwise it is prose that happens to start with "<" (e.g. "<Imię>, mamy dla Ciebie…").
  }

  const upper = trimmed.slice(0, 32).toUpperCase();
  if (upper.startsWith("BEGIN:VCARD")) return accept("text/x-vcard", nameExt);
  if (upper.startsWith("BEGIN:VCALENDAR")) return accept("text/x-vcalendar", nameExt);
  if (upper.startsWith("#EXTM3U")) return accept("audio/x-mpegurl", nameExt);

  const lines = () => trimmed.split(/\r\n|\r|\n/).map((line) => line.trim());
  switch (nameExt) {
    case "m3u":
      if (looksLikeM3uEntries(lines())) return accept("audio/x-mpegurl", nameExt);
      break;
    case "ram":
      if (looksLikeRamEntries(lines())) return accept("audio/x-pn-realaudio", nameExt, { extension: "ram", kind: "text" });
      break;
    case "csv":
      return accept("text/csv", nameExt);
    case "java":
      return accept("text/x-java-source", nameExt);
    case "rtx":
      return accept("text/richtext", nameExt);
    default:
      break;
  }
  return accept("text/plain", nameExt !== undefined && PLAIN_TEXT_EXTENSIONS.has(nameExt) ? nameExt : undefined);
}

// ---------------------------------------------------------------------------------------------
// Mapping file-type's verdicts onto the allow-list
// ---------------------------------------------------------------------------------------------

async function fromFileType(result: FileTypeResult, bytes: Uint8Array, nameExt: string | undefined): Promise<DetectMediaResult | undefined> {
  const ext = result.ext as string;
  switch (ext) {
    case "png":
    case "apng": // an animated PNG is still a PNG file; non-animating viewers show the first frame
      return accept("image/png", nameExt);
    case "jpg":
      return accept("image/jpeg", nameExt);
    case "gif":
      return accept("image/gif", nameExt);
    case "ico":
      return isConsistentIco(bytes) ? accept("image/x-icon", nameExt) : undefined;
    case "pdf":
      return accept("application/pdf", nameExt);
    case "rtf":
      return accept("application/rtf", nameExt);
    case "tar":
      return accept("application/x-tar", nameExt, { extension: "tar" });
    case "tar.gz":
      return accept("application/x-tar", nameExt, { extension: "tgz" });
    case "gz": {
      const inflated = await gunzipPrefix(bytes, 65536);
      if (inflated !== undefined && !inflated.includes(0)) {
        const head = readMarkupHead(decodeText(inflated).text);
        if (head.root?.split(":").pop() === "svg") return accept("image/svg+xml", nameExt, { extension: "svgz" });
      }
      return refuse(refusalFor(result));
    }
    case "zip": {
      const openDocument = zipOpenDocumentMimeType(bytes);
      if (openDocument === undefined) return accept("application/zip", nameExt);
      if (ALLOWED_OPEN_DOCUMENT.has(openDocument)) return accept(openDocument, nameExt);
      return refuse("This OpenDocument file type is not in the allowed list (only formulas and charts are): save it as PDF and upload it again.");
    }
    case "cfb": {
      const verdict = classifyCfb(bytes, nameExt);
      return verdict.ok ? accept(verdict.contentType, nameExt) : refuse(verdict.reason);
    }
    case "cab":
      // file-type also reports InstallShield cabinets ("ISc(") as cab; they are installers, not MS-CAB.
      return ascii(bytes, 0, 4) === "MSCF" ? accept("application/vnd.ms-cab-compressed", nameExt) : refuse("InstallShield installer archives are not allowed in MMS.");
    case "ogg":
    case "oga":
    case "opus":
    case "spx":
    case "ogx":
      return accept("application/ogg", nameExt, { extension: "ogg" });
    case "ogv":
    case "ogm":
      return accept("application/ogg", nameExt, { extension: "ogg", kind: "video" });
    case "mid":
      return accept("audio/midi", nameExt);
    case "mp3":
    case "mp2":
    case "mp1":
      return accept("audio/mpeg", nameExt);
    case "wav":
      return accept("audio/wav", nameExt);
    case "aif": {
      // file-type reports every IFF "FORM" file as AIFF; only AIFF/AIFC forms are audio.
      const form = ascii(bytes, 8, 4);
      if (form === "AIFF" || form === "AIFC") return accept("audio/x-aiff", nameExt);
      return refuse(`IFF "${form.replace(/[^\x20-\x7e]/g, "?")}" files are not in the allowed list for MMS.`);
    }
    case "asf":
      if (result.mime === "audio/x-ms-asf" || (result.mime === "application/vnd.ms-asf" && nameExt === "wma")) return accept("audio/x-ms-wma", nameExt);
      return accept("video/x-ms-asf", nameExt, { extension: "asf" });
    case "rm":
      // RealMedia (.RMF) is what RealAudio G2 and later write; the API lists it as audio/x-pn-realaudio.
      return accept("audio/x-pn-realaudio", nameExt, { extension: "ra" });
    case "3gp":
      return accept("video/3gpp", nameExt);
    case "3g2":
      return accept("video/3gpp2", nameExt);
    case "mov":
      return accept("video/quicktime", nameExt);
    case "avi":
      return accept("video/x-msvideo", nameExt);
    case "mp4":
    case "m4v": // Apple's MP4 profile: the same ISO media container, playable as video/mp4
      return accept("video/mp4", nameExt);
    case "mpg":
      return accept("video/mpeg", nameExt);
    case "xml":
    case "vcf":
    case "ics":
    case "vtt":
      // Text formats: classified (and refused when needed) by the text rules so results stay consistent.
      return detectText(bytes, nameExt);
    default:
      return refuse(refusalFor(result));
  }
}

/**
 * file-type verdicts whose mapping onto the allow-list (fromFileType) reads nothing past the header:
 * no length, directory or body checks. Only for these may a large upload be judged from its head
 * (detectMediaTypeFromHead) instead of being read into memory whole.
 */
const HEADER_DECIDED_FILE_TYPES: ReadonlySet<string> = new Set([
  "png", "apng", "jpg", "gif", "pdf", "ogg", "oga", "opus", "spx", "ogx", "ogv", "ogm", "mid", "mp3", "mp2", "mp1",
  "wav", "aif", "asf", "3gp", "3g2", "mov", "avi", "mp4", "m4v", "mpg",
]);

/**
 * The verdict detectMediaType would give the whole file, decided from `fileType` (file-type's answer
 * for the whole file, e.g. fileTypeFromFile) and the file's first bytes, or undefined when only the
 * whole file can tell (text, containers with directories, formats checked against their length).
 * A head holding a NUL byte proves the file is not clean text, which is the only whole-file rule
 * that applies to the formats above.
 */
export async function detectMediaTypeFromHead(
  fileType: FileTypeResult | undefined,
  head: Uint8Array,
  fileName?: string,
): Promise<DetectMediaResult | undefined> {
  if (fileType === undefined || !HEADER_DECIDED_FILE_TYPES.has(fileType.ext) || !head.includes(0) || isUtf16Text(head)) return undefined;
  return fromFileType(fileType, head, fileName === undefined ? undefined : extensionOf(fileName));
}

const ASCII_CAPABLE_FILE_TYPES: ReadonlySet<string> = new Set(["pdf", "rtf"]);

/**
 * Decides an upload's type from its bytes against the SerwerSMS.pl allow-list.
 * `fileName` only disambiguates containers and text subtypes; it never makes unknown bytes acceptable.
 */
export async function detectMediaType(
  bytes: Uint8Array,
  fileName?: string,
): Promise<{ ok: true; type: DetectedType } | { ok: false; reason: string }> {
  if (bytes.byteLength === 0) return refuse("The file is empty.");
  const nameExt = fileName === undefined ? undefined : extensionOf(fileName);
  if (isUtf16Text(bytes)) return refuse(REASON_UTF16);

  let fileType: FileTypeResult | undefined;
  try {
    fileType = await fileTypeFromBuffer(bytes);
  } catch {
    // A malformed container can make a parser throw; fall through to the remaining checks.
    fileType = undefined;
  }
  if (fileType !== undefined) {
    // Many magic numbers are short printable words ("MZ", "BM", "FORM", "ID3", "MThd", "OggS") that also
    // start ordinary sentences ("BMW…", "FORMULARZ zgłoszeniowy…"). Real files of those binary formats
    // always contain NUL bytes or other controls in their headers, so clean text is text. PDF and RTF
    // are exempt because they can legitimately be pure ASCII.
    if (!ASCII_CAPABLE_FILE_TYPES.has(fileType.ext) && decodeIfText(bytes) !== undefined) {
      return (await detectText(bytes, nameExt)) ?? refuse(REASON_UNKNOWN);
    }
    const result = await fromFileType(fileType, bytes, nameExt);
    if (result !== undefined) return result;
  }

  if (isDjvu(bytes)) return accept("image/vnd.djvu", nameExt);
  if (isRealAudio(bytes)) return accept("audio/x-pn-realaudio", nameExt, { extension: "ra" });
  if (isSgiMovie(bytes)) return accept("video/x-sgi-movie", nameExt);
  if (isRiffMidi(bytes)) return accept("audio/midi", nameExt, { extension: "rmi" });
  if (nameExt === "wbmp" && isConsistentWbmp(bytes)) return accept("image/vnd.wap.wbmp", nameExt);

  const text = await detectText(bytes, nameExt);
  if (text !== undefined) return text;

  if (nameExt === "wbmp") {
    return refuse("This file is called .wbmp but is not a valid WBMP image: export the picture again as WBMP, or as PNG or JPEG.");
  }
  return refuse(REASON_UNKNOWN);
}
