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
function decodeBase64File(text: string, maxBytes: number): Uint8Array {
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

const addFile: ActionHandler = async (params, context) => {
  const type = requireFileType(params);
  const url = params.string("url")?.trim() || undefined; // the docs say `url` "must remain empty" with `file`
  const upload = params.file("file");
  const base64 = upload ? undefined : params.string("file")?.trim() || undefined;
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
  if (bytes.byteLength === 0) throw new GatewayApiError(1006, "File is empty");
  if (bytes.byteLength > context.maxFileBytes) throw fileTooLarge(context.maxFileBytes);

  const givenName = cleanName(params.string("name"));
  const detected = await sniffUpload(bytes, givenName ?? cleanName(fallbackName));
  if (!detected.ok) throw new GatewayApiError(1006, `File type not allowed: ${detected.reason}`);
  const { contentType, extension } = detected;
  if (type === "voice" && !VOICE_CONTENT_TYPES.has(contentType)) {
    throw new GatewayApiError(1006, `File type not allowed: ${contentType} for a voice file (only WAV or MP3)`);
  }

  fs.mkdirSync(context.filesDir, { recursive: true });
  // Written under a temporary name first, then renamed inside the DB transaction: a row never points at
  // missing or half-written bytes.
  const temporaryPath = path.join(context.filesDir, `.upload-${randomBytes(8).toString("hex")}`);
  await fs.promises.writeFile(temporaryPath, bytes);
  try {
    const stored = context.store.insertFile(
      {
        type,
        name: givenName ?? cleanName(fallbackName) ?? `upload.${extension}`,
        size: bytes.byteLength,
        contentType,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        createdAt: context.now(),
      },
      (id) => fs.renameSync(temporaryPath, storedFilePath(context, id)),
    );
    return { success: true, id: stored.id };
  } finally {
    fs.rmSync(temporaryPath, { force: true });
  }
};

const listFiles: ActionHandler = (params, context) => {
  const type = requireFileType(params);
  return { items: context.store.listFiles(type).map(describeFile) };
};

const viewFile: ActionHandler = (params, context) => describeFile(requireExistingFile(params, context));

const deleteFile: ActionHandler = (params, context) => {
  const file = requireExistingFile(params, context);
  context.store.deleteFile(file.id);
  fs.rmSync(storedFilePath(context, file.id), { force: true });
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
