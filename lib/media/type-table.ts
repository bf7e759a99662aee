/**
 * The SerwerSMS.pl "files/add" allow-list (brief-sending-mms.txt, "It is possible to upload certain
 * file types"), kept as data so the UI accept list, the validator and the gateway all agree.
 * Pure data + lookups: safe to import from client components.
 */

export type MediaKind = "image" | "audio" | "video" | "text" | "document";

export type MediaTypeRow = {
  /** Content type exactly as written in the brief. */
  readonly contentType: string;
  readonly extensions: readonly string[];
  readonly kind: MediaKind;
};

// Row order and spelling mirror the brief so a reviewer can diff them line by line.
// The brief lists "wbmp wbmp"; the duplicate is dropped here.
export const MEDIA_TYPE_TABLE: readonly MediaTypeRow[] = [
  { contentType: "application/vnd.ms-excel", extensions: ["xls", "xlm", "xla", "xlc", "xlt", "xlw"], kind: "document" },
  { contentType: "application/msword", extensions: ["doc", "dot"], kind: "document" },
  { contentType: "application/vnd.ms-powerpoint", extensions: ["ppt", "pps", "pot"], kind: "document" },
  { contentType: "application/rtf", extensions: ["rtf"], kind: "document" },
  { contentType: "application/x-tar", extensions: ["tgz", "tar"], kind: "document" },
  { contentType: "application/zip", extensions: ["zip"], kind: "document" },
  { contentType: "application/pdf", extensions: ["pdf"], kind: "document" },
  { contentType: "application/smil+xml", extensions: ["smi", "smil"], kind: "document" },
  // Ogg is nearly always Vorbis/Opus audio in MMS use; detection upgrades Theora streams to "video".
  { contentType: "application/ogg", extensions: ["ogg"], kind: "audio" },
  { contentType: "application/vnd.ms-cab-compressed", extensions: ["cab"], kind: "document" },
  { contentType: "application/vnd.oasis.opendocument.formula", extensions: ["odf"], kind: "document" },
  { contentType: "application/vnd.oasis.opendocument.chart-template", extensions: ["otc"], kind: "document" },
  { contentType: "application/vnd.oasis.opendocument.chart", extensions: ["odc"], kind: "document" },
  { contentType: "audio/midi", extensions: ["mid", "midi", "kar", "rmi"], kind: "audio" },
  { contentType: "audio/mpeg", extensions: ["mpga", "mp2", "mp2a", "mp3", "m2a", "m3a"], kind: "audio" },
  { contentType: "audio/mpeg3", extensions: ["mp3"], kind: "audio" },
  { contentType: "audio/mp3", extensions: ["mp3"], kind: "audio" },
  // A playlist is a text file of paths; previewing it as text is more useful than an audio player.
  { contentType: "audio/x-mpegurl", extensions: ["m3u"], kind: "text" },
  { contentType: "audio/wav", extensions: ["wav"], kind: "audio" },
  { contentType: "audio/x-ms-wma", extensions: ["wma"], kind: "audio" },
  { contentType: "audio/x-aiff", extensions: ["aif", "aiff", "aifc"], kind: "audio" },
  // .ra is RealAudio; .ram is a text "metafile" of stream URLs (detection reports kind "text" for it).
  { contentType: "audio/x-pn-realaudio", extensions: ["ram", "ra"], kind: "audio" },
  { contentType: "image/pjpeg", extensions: ["pjpeg"], kind: "image" },
  { contentType: "image/gif", extensions: ["gif"], kind: "image" },
  { contentType: "image/jpeg", extensions: ["jpeg", "jpg", "jpe"], kind: "image" },
  { contentType: "image/jpg", extensions: ["jpeg", "jpg", "jpe"], kind: "image" },
  { contentType: "image/png", extensions: ["png"], kind: "image" },
  { contentType: "image/svg+xml", extensions: ["svg", "svgz"], kind: "image" },
  { contentType: "image/vnd.djvu", extensions: ["djvu", "djv"], kind: "image" },
  { contentType: "image/vnd.wap.wbmp", extensions: ["wbmp"], kind: "image" },
  { contentType: "image/x-icon", extensions: ["ico"], kind: "image" },
  { contentType: "text/plain", extensions: ["txt", "text", "conf", "def", "list", "log", "in"], kind: "text" },
  { contentType: "text/richtext", extensions: ["rtx"], kind: "text" },
  { contentType: "text/csv", extensions: ["csv"], kind: "text" },
  { contentType: "text/x-java-source", extensions: ["java"], kind: "text" },
  { contentType: "text/x-vcard", extensions: ["vcf"], kind: "text" },
  { contentType: "text/x-vcalendar", extensions: ["vcs"], kind: "text" },
  { contentType: "video/3gpp", extensions: ["3gp"], kind: "video" },
  { contentType: "video/3gpp2", extensions: ["3g2"], kind: "video" },
  { contentType: "video/quicktime", extensions: ["qt", "mov"], kind: "video" },
  // .asx is an XML playlist rather than ASF data; detection reports kind "text" for it.
  { contentType: "video/x-ms-asf", extensions: ["asf", "asx"], kind: "video" },
  { contentType: "video/avi", extensions: ["avi"], kind: "video" },
  { contentType: "video/x-msvideo", extensions: ["avi"], kind: "video" },
  { contentType: "video/x-sgi-movie", extensions: ["movie"], kind: "video" },
  { contentType: "video/mp4", extensions: ["mp4", "mp4v", "mpg4"], kind: "video" },
  { contentType: "video/mpeg", extensions: ["mpeg", "mpg", "mpe", "m1v", "m2v"], kind: "video" },
];

/**
 * The brief lists several spellings for one format. Content detection always reports the canonical
 * one so that de-duplication, serving and the API upload see a single spelling per format.
 */
const ALIASES: Readonly<Record<string, string>> = {
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "audio/mpeg3": "audio/mpeg",
  "audio/mp3": "audio/mpeg",
  "video/avi": "video/x-msvideo",
};

type CanonicalInfo = {
  /** Extension used when the uploader's name has none (or a wrong one). */
  readonly defaultExtension: string;
  /** With article, for sentences like `"x.jpg" is a PDF document`. */
  readonly label: string;
  /** For "upload the real …". */
  readonly noun: string;
};

const CANONICAL_INFO: Readonly<Record<string, CanonicalInfo>> = {
  "application/vnd.ms-excel": { defaultExtension: "xls", label: "an Excel spreadsheet", noun: "spreadsheet" },
  "application/msword": { defaultExtension: "doc", label: "a Word document", noun: "document" },
  "application/vnd.ms-powerpoint": { defaultExtension: "ppt", label: "a PowerPoint presentation", noun: "presentation" },
  "application/rtf": { defaultExtension: "rtf", label: "an RTF document", noun: "document" },
  "application/x-tar": { defaultExtension: "tar", label: "a TAR archive", noun: "archive" },
  "application/zip": { defaultExtension: "zip", label: "a ZIP archive", noun: "archive" },
  "application/pdf": { defaultExtension: "pdf", label: "a PDF document", noun: "document" },
  "application/smil+xml": { defaultExtension: "smil", label: "a SMIL presentation", noun: "presentation" },
  "application/ogg": { defaultExtension: "ogg", label: "an Ogg media file", noun: "file" },
  "application/vnd.ms-cab-compressed": { defaultExtension: "cab", label: "a CAB archive", noun: "archive" },
  "application/vnd.oasis.opendocument.formula": { defaultExtension: "odf", label: "an OpenDocument formula", noun: "document" },
  "application/vnd.oasis.opendocument.chart-template": {
    defaultExtension: "otc",
    label: "an OpenDocument chart template",
    noun: "document",
  },
  "application/vnd.oasis.opendocument.chart": { defaultExtension: "odc", label: "an OpenDocument chart", noun: "document" },
  "audio/midi": { defaultExtension: "mid", label: "a MIDI tune", noun: "audio file" },
  "audio/mpeg": { defaultExtension: "mp3", label: "an MP3 audio file", noun: "audio file" },
  "audio/x-mpegurl": { defaultExtension: "m3u", label: "an M3U playlist", noun: "playlist" },
  "audio/wav": { defaultExtension: "wav", label: "a WAV audio file", noun: "audio file" },
  "audio/x-ms-wma": { defaultExtension: "wma", label: "a WMA audio file", noun: "audio file" },
  "audio/x-aiff": { defaultExtension: "aiff", label: "an AIFF audio file", noun: "audio file" },
  "audio/x-pn-realaudio": { defaultExtension: "ra", label: "a RealAudio file", noun: "audio file" },
  "image/gif": { defaultExtension: "gif", label: "a GIF image", noun: "image" },
  "image/jpeg": { defaultExtension: "jpg", label: "a JPEG image", noun: "image" },
  "image/png": { defaultExtension: "png", label: "a PNG image", noun: "image" },
  "image/svg+xml": { defaultExtension: "svg", label: "an SVG image", noun: "image" },
  "image/vnd.djvu": { defaultExtension: "djvu", label: "a DjVu document", noun: "document" },
  "image/vnd.wap.wbmp": { defaultExtension: "wbmp", label: "a WBMP image", noun: "image" },
  "image/x-icon": { defaultExtension: "ico", label: "an icon (ICO) image", noun: "image" },
  "text/plain": { defaultExtension: "txt", label: "a plain text file", noun: "text file" },
  "text/richtext": { defaultExtension: "rtx", label: "a rich text (RTX) file", noun: "text file" },
  "text/csv": { defaultExtension: "csv", label: "a CSV table", noun: "table" },
  "text/x-java-source": { defaultExtension: "java", label: "a Java source file", noun: "source file" },
  "text/x-vcard": { defaultExtension: "vcf", label: "a vCard contact", noun: "contact card" },
  "text/x-vcalendar": { defaultExtension: "vcs", label: "a vCalendar event", noun: "calendar file" },
  "video/3gpp": { defaultExtension: "3gp", label: "a 3GP video", noun: "video" },
  "video/3gpp2": { defaultExtension: "3g2", label: "a 3G2 video", noun: "video" },
  "video/quicktime": { defaultExtension: "mov", label: "a QuickTime video", noun: "video" },
  "video/x-ms-asf": { defaultExtension: "asf", label: "a Windows Media (ASF) video", noun: "video" },
  "video/x-msvideo": { defaultExtension: "avi", label: "an AVI video", noun: "video" },
  "video/x-sgi-movie": { defaultExtension: "movie", label: "an SGI movie", noun: "video" },
  "video/mp4": { defaultExtension: "mp4", label: "an MP4 video", noun: "video" },
  "video/mpeg": { defaultExtension: "mpg", label: "an MPEG video", noun: "video" },
};

/** Lower-cases and drops parameters (`; charset=…`) so header values compare equal to table entries. */
export function normalizeContentType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/** Lower-cases and drops a leading dot so ".JPG", "jpg" and "Jpg" compare equal. */
export function normalizeExtension(extension: string): string {
  return extension.trim().replace(/^\.+/, "").toLowerCase();
}

const ROWS_BY_CONTENT_TYPE = new Map<string, MediaTypeRow>(MEDIA_TYPE_TABLE.map((row) => [row.contentType, row]));

const ROWS_BY_EXTENSION = new Map<string, MediaTypeRow[]>();
for (const row of MEDIA_TYPE_TABLE) {
  for (const extension of row.extensions) {
    const rows = ROWS_BY_EXTENSION.get(extension) ?? [];
    rows.push(row);
    ROWS_BY_EXTENSION.set(extension, rows);
  }
}

/** Every extension the brief allows, lower-case, without dots. */
export const ALLOWED_EXTENSIONS: ReadonlySet<string> = new Set(ROWS_BY_EXTENSION.keys());

/** All table rows listing this extension (e.g. "mp3" has three: audio/mpeg, audio/mpeg3, audio/mp3). */
export function lookupByExtension(extension: string): readonly MediaTypeRow[] {
  return ROWS_BY_EXTENSION.get(normalizeExtension(extension)) ?? [];
}

/** The table row for a content type (any listed spelling, parameters ignored), if it is allowed. */
export function lookupByContentType(contentType: string): MediaTypeRow | undefined {
  return ROWS_BY_CONTENT_TYPE.get(normalizeContentType(contentType));
}

/** The single spelling used for a listed content type (image/pjpeg → image/jpeg), or undefined if not listed. */
export function canonicalContentType(contentType: string): string | undefined {
  const normalized = normalizeContentType(contentType);
  if (!ROWS_BY_CONTENT_TYPE.has(normalized)) return undefined;
  return ALIASES[normalized] ?? normalized;
}

/** Content types accepted by the API for this extension, canonicalised and de-duplicated. */
export function canonicalContentTypesForExtension(extension: string): readonly string[] {
  const result = new Set<string>();
  for (const row of lookupByExtension(extension)) result.add(ALIASES[row.contentType] ?? row.contentType);
  return [...result];
}

/** Every extension any spelling of this content type may carry (image/jpeg → jpeg, jpg, jpe, pjpeg). */
export function extensionsForContentType(contentType: string): readonly string[] {
  const canonical = canonicalContentType(contentType);
  if (canonical === undefined) return [];
  const result = new Set<string>();
  for (const row of MEDIA_TYPE_TABLE) {
    if ((ALIASES[row.contentType] ?? row.contentType) === canonical) {
      for (const extension of row.extensions) result.add(extension);
    }
  }
  return [...result];
}

export function isExtensionAllowedFor(contentType: string, extension: string): boolean {
  return extensionsForContentType(contentType).includes(normalizeExtension(extension));
}

/** The extension appended to names that have none; undefined for content types outside the table. */
export function defaultExtensionFor(contentType: string): string | undefined {
  const canonical = canonicalContentType(contentType);
  return canonical === undefined ? undefined : CANONICAL_INFO[canonical]?.defaultExtension;
}

export function kindForContentType(contentType: string): MediaKind | undefined {
  const canonical = canonicalContentType(contentType);
  return canonical === undefined ? undefined : ROWS_BY_CONTENT_TYPE.get(canonical)?.kind;
}

/** Plain-words description for messages shown to marketing staff ("a PDF document"). */
export function describeContentType(contentType: string): { label: string; noun: string } {
  const canonical = canonicalContentType(contentType);
  const info = canonical === undefined ? undefined : CANONICAL_INFO[canonical];
  return info ? { label: info.label, noun: info.noun } : { label: "a file of an unsupported type", noun: "file" };
}

/** Canonical content types the library can report, i.e. what the upload pipeline can ever store. */
export const CANONICAL_CONTENT_TYPES: readonly string[] = Object.keys(CANONICAL_INFO);

/**
 * Shape react-dropzone's `accept` option expects. Only a first-pass filter for the file picker:
 * browsers guess types from names, so the server still decides by content.
 */
export function dropzoneAccept(): Record<string, string[]> {
  const accept: Record<string, string[]> = {};
  for (const row of MEDIA_TYPE_TABLE) {
    const list = accept[row.contentType] ?? [];
    for (const extension of row.extensions) {
      if (!list.includes(`.${extension}`)) list.push(`.${extension}`);
    }
    accept[row.contentType] = list;
  }
  return accept;
}
