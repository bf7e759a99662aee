import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";
import type { ActionContext, ActionHandler } from "@/lib/sandbox/action-context";
import { GatewayApiError } from "@/lib/sandbox/errors";
import type { GatewayParams } from "@/lib/sandbox/params";
import { sniffUpload } from "@/lib/sandbox/sniff";
import type { FileType, StoredFile } from "@/lib/sandbox/store";
import { fetchRemoteFile, fileTooLarge, urlBasename } from "@/lib/sandbox/url-fetch";

/** Voice files are played by the phone network, which takes only these two formats. */
const VOICE_CONTENT_TYPES = new Set(["audio/wav", "audio/mpeg"]);
const MAX_NAME_CODE_POINTS = 255;

function requireFileType(params: GatewayParams): FileType {
  const type = params.requiredString("type").trim().toLowerCase();
  if (type !== "mms" && type !== "voice") throw new GatewayApiError(1006, `type must be mms or voice (got "${type.slice(0, 40)}")`);
  return type;
}

function requireExistingFile(params: GatewayParams, context: ActionContext): StoredFile {
  const id = params.requiredString("id").trim();
  const type = requireFileType(params);
  const file = context.store.getFile(id);
  if (!file || file.type !== type) throw new GatewayApiError(1004, `No ${type} file with id ${id}`);
  return file;
}

function describeFile(file: StoredFile) {
  return { id: file.id, name: file.name, size: file.size, type: file.type, date: formatGatewayTimestamp(new Date(file.createdAt)) };
}

export function storedFilePath(context: ActionContext, id: string): string {
  // Ids are always generated here as 10 hex chars, but never let a stored value steer a path.
  if (!/^[0-9a-f]{10}$/.test(id)) throw new Error(`Refusing file id ${JSON.stringify(id)} as a path`);
  return path.join(context.filesDir, id);
}

/** The `file` parameter in a JSON or urlencoded body: base64 file content, optionally as a data: URL. */
export function decodeBase64File(text: string, maxBytes: number): Uint8Array {
  let body = text.trim();
  const dataUrlPrefix = /^data:[^,]*;base64,/i.exec(body);
  if (dataUrlPrefix) body = body.slice(dataUrlPrefix[0].length);
  // Line breaks come from MIME-style wrapping; spaces from a client that left "+" unescaped in a form body.
  body = body.replace(/[\r\n\t]/g, "").replace(/ /g, "+");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body) || body.length % 4 === 1) {
    throw new GatewayApiError(1006, "file must be the file content encoded as base64");
  }
  const padding = body.endsWith("==") ? 2 : body.endsWith("=") ? 1 : 0;
  if (Math.floor((body.length * 3) / 4) - padding > maxBytes) throw fileTooLarge(maxBytes);
  return new Uint8Array(Buffer.from(body, "base64"));
}

function cleanName(name: string | undefined): string | undefined {
  const trimmed = name?.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (!trimmed) return undefined;
  return [...trimmed].slice(0, MAX_NAME_CODE_POINTS).join("");
}

export type CheckedFile = { bytes: Uint8Array; contentType: string; extension: string };

/** The checks every stored file passes, whichever way it came (files/add, send_mms `file`): size, content, voice formats. */
export async function checkFileBytes(bytes: Uint8Array, name: string | undefined, type: FileType, context: ActionContext): Promise<CheckedFile> {
  if (bytes.byteLength === 0) throw new GatewayApiError(1006, "File is empty");
  if (bytes.byteLength > context.maxFileBytes) throw fileTooLarge(context.maxFileBytes);
  const detected = await sniffUpload(bytes, name);
  if (!detected.ok) throw new GatewayApiError(1006, `File type not allowed: ${detected.reason}`);
  const { contentType, extension } = detected;
  if (type === "voice" && !VOICE_CONTENT_TYPES.has(contentType)) {
    throw new GatewayApiError(1006, `File type not allowed: ${contentType} for a voice file (only WAV or MP3)`);
  }
  return { bytes, contentType, extension };
}

/** Adds checked bytes to the library under `name` (or `upload.<ext>`). */
export async function storeFile(context: ActionContext, file: CheckedFile & { type: FileType; name: string | undefined }): Promise<StoredFile> {
  fs.mkdirSync(context.filesDir, { recursive: true });
  // Written under a temporary name first, then renamed inside the DB transaction: a row never points at
  // missing or half-written bytes.
  const temporaryPath = path.join(context.filesDir, `.upload-${randomBytes(8).toString("hex")}`);
  await fs.promises.writeFile(temporaryPath, file.bytes);
  try {
    return context.store.insertFile(
      {
        type: file.type,
        name: file.name ?? `upload.${file.extension}`,
        size: file.bytes.byteLength,
        contentType: file.contentType,
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
        createdAt: context.now(),
      },
      (id) => fs.renameSync(temporaryPath, storedFilePath(context, id)),
    );
  } finally {
    fs.rmSync(temporaryPath, { force: true });
  }
}

/** Removes a stored file and its bytes (files/delete, or undoing a send that was refused after all). */
export function removeStoredFile(context: ActionContext, id: string): void {
  context.store.deleteFile(id);
  fs.rmSync(storedFilePath(context, id), { force: true });
}

/**
 * The disk upload in the encoding(s) this sandbox reads (SandboxOptions.uploadEncodings): a
 * multipart part, or base64 text in a JSON or form body. A gateway that reads only one of them does
 * not see `file` at all when the other arrives, so that one is treated as absent (→ 2000), which is
 * what the app's encoding fallback reacts to (issue 12 item 1).
 */
function diskUpload(params: GatewayParams, context: ActionContext): { part?: File; base64?: string } {
  const accepted = context.uploadEncodings();
  const part = params.file("file");
  if (part) return accepted === "base64" ? {} : { part };
  if (accepted === "multipart" || !params.has("file")) return {};
  const base64 = params.string("file")?.trim();
  return base64 ? { base64 } : {};
}

const addFile: ActionHandler = async (params, context) => {
  const type = requireFileType(params);
  const url = params.string("url")?.trim() || undefined; // the docs say `url` "must remain empty" with `file`
  const { part: upload, base64 } = diskUpload(params, context);
  const hasFile = upload !== undefined || base64 !== undefined;
  if (url && hasFile) throw new GatewayApiError(1006, "Give either url or file, not both");
  if (!url && !hasFile) throw new GatewayApiError(2000, "Missing required parameter: url or file");
  // Brief: uploading from disk is "Only for MMS files"; voice files come by URL.
  if (hasFile && type === "voice") throw new GatewayApiError(1006, "Uploading a file is only for MMS files; give a url for voice files");

  let bytes: Uint8Array;
  let fallbackName: string | undefined;
  if (upload) {
    if (upload.size > context.maxFileBytes) throw fileTooLarge(context.maxFileBytes);
    bytes = new Uint8Array(await upload.arrayBuffer());
    fallbackName = upload.name;
  } else if (base64 !== undefined) {
    bytes = decodeBase64File(base64, context.maxFileBytes);
  } else {
    const remote = await fetchRemoteFile(url ?? "", { allowlist: context.urlAllowlist, maxBytes: context.maxFileBytes });
    bytes = remote.bytes;
    fallbackName = urlBasename(url ?? "");
  }
  const name = cleanName(params.string("name")) ?? cleanName(fallbackName);
  const checked = await checkFileBytes(bytes, name, type, context);
  const stored = await storeFile(context, { ...checked, type, name });
  return { success: true, id: stored.id };
};

const listFiles: ActionHandler = (params, context) => {
  const type = requireFileType(params);
  return { items: context.store.listFiles(type).map(describeFile) };
};

const viewFile: ActionHandler = (params, context) => describeFile(requireExistingFile(params, context));

const deleteFile: ActionHandler = (params, context) => {
  removeStoredFile(context, requireExistingFile(params, context).id);
  return { success: true };
};

/**
 * What the sandbox stored for a file, for tests only (the admin endpoint's `__admin/file`). The real
 * gateway has no way to read a file back (it answers 1000 InvalidAction), so neither has the
 * sandbox's gateway API: an app that relied on one would work against the double only.
 */
export async function storedFileContent(params: GatewayParams, context: ActionContext) {
  const file = requireExistingFile(params, context);
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(storedFilePath(context, file.id));
  } catch {
    throw new GatewayApiError(1004, `The bytes of file ${file.id} are missing from the sandbox store`);
  }
  return { id: file.id, name: file.name, content_type: file.contentType, data: bytes.toString("base64") };
}

export const fileActions: Record<string, ActionHandler> = {
  "files/add": addFile,
  "files/index": listFiles,
  "files/view": viewFile,
  "files/delete": deleteFile,
};
