import { readBodyWithLimit } from "./read-body";

/** A body that is neither a form nor a flat JSON object. */
export class UnreadableBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableBodyError";
  }
}

/**
 * The flat name → value fields of a request, for callers that accept the same parameters by GET or
 * POST, as a form or as JSON (the SerwerSMS push, reference §9.3): the query string first, then the
 * body's fields on top. JSON numbers and booleans become strings; nested values are left out.
 * Throws BodyTooLargeError past `limitBytes`, UnreadableBodyError for a body it cannot read.
 */
export async function readRequestFields(request: Request, limitBytes: number): Promise<Record<string, string>> {
  const fields: Record<string, string> = Object.fromEntries(new URL(request.url).searchParams);
  if (request.method === "GET" || request.method === "HEAD") return fields;
  const bytes = await readBodyWithLimit(request, limitBytes);
  if (bytes.byteLength === 0) return fields;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { "content-type": type } }).formData();
    } catch {
      throw new UnreadableBodyError("The multipart body could not be read");
    }
    for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
    return fields;
  }
  const text = new TextDecoder().decode(bytes);
  if (type.includes("json") || (!type.includes("x-www-form-urlencoded") && /^\s*\{/.test(text))) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UnreadableBodyError("The body is not valid JSON");
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new UnreadableBodyError("The JSON body must be an object");
    for (const [name, value] of Object.entries(json)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") fields[name] = String(value);
    }
    return fields;
  }
  for (const [name, value] of new URLSearchParams(text)) fields[name] = value;
  return fields;
}
