import { GatewayApiError } from "@/lib/sandbox/errors";
import { BodyTooLargeError, readBodyWithLimit } from "@/lib/http/read-body";

/**
 * Request parameters of one gateway call, whatever the body encoding. Official clients disagree on
 * encodings (reference §1.2): JSON with real arrays/booleans, urlencoded with `phone[]` / `phone[0]`
 * keys or comma lists, and "1"/"0" or "true" strings for booleans. All of them must work.
 */
export class GatewayParams {
  constructor(
    /** JSON null is already removed: the PHP client sends `"sender": null` to mean "not given". */
    private readonly values: ReadonlyMap<string, unknown>,
  ) {}

  static empty(): GatewayParams {
    return new GatewayParams(new Map());
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The decoded body as a plain object (admin endpoints take structured JSON). */
  raw(): Record<string, unknown> {
    return Object.fromEntries(this.values);
  }

  string(name: string): string | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw new GatewayApiError(1006, `Parameter ${name} must be a single value`);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new GatewayApiError(2000, `Missing required parameter: ${name}`);
    return value;
  }

  /** A list given as an array, as `x[]`/`x[0]` form keys, or as a comma-separated string. Empty entries are dropped. */
  list(name: string): string[] | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    const entries = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [value];
    const result: string[] = [];
    for (const entry of entries) {
      if (entry === null || entry === undefined) continue;
      if (typeof entry !== "string" && typeof entry !== "number") {
        throw new GatewayApiError(1006, `Parameter ${name} must be a string or a list of strings`);
      }
      const text = String(entry).trim();
      if (text !== "") result.push(text);
    }
    return result;
  }

  /**
   * One text or a list of texts (JSON array, `x[]`/`x[0]` form keys), never split on commas: for
   * values that may hold commas themselves, such as base64 `data:` URLs. Empty entries are dropped.
   */
  texts(name: string): string[] {
    const value = this.values.get(name);
    if (value === undefined) return [];
    const entries = Array.isArray(value) ? value : [value];
    return entries.flatMap((entry) => {
      if (entry === null || entry === undefined) return [];
      if (typeof entry !== "string") throw new GatewayApiError(1006, `Parameter ${name} must be text or a list of texts`);
      return entry.trim() === "" ? [] : [entry];
    });
  }

  boolean(name: string, fallback = false): boolean {
    const value = this.values.get(name);
    if (value === undefined) return fallback;
    const parsed = parseLenientBoolean(value);
    if (parsed === null) throw new GatewayApiError(1006, `Parameter ${name} must be true or false`);
    return parsed;
  }

  integer(name: string): number | undefined {
    const value = this.values.get(name);
    if (value === undefined || value === "") return undefined;
    const number = typeof value === "number" ? value : typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number)) throw new GatewayApiError(1006, `Parameter ${name} must be a whole number`);
    return number;
  }

  /** An uploaded multipart part (a File), when the parameter is one. */
  file(name: string): File | undefined {
    const value = this.values.get(name);
    if (value instanceof File) return value;
    if (Array.isArray(value) && value.some((entry) => entry instanceof File)) {
      throw new GatewayApiError(1006, `Only one ${name} may be uploaded per request`);
    }
    return undefined;
  }
}

/** PHP sends JSON booleans, Java/Python "true", C#/Delphi "1"/"0", HTML forms "on". */
export function parseLenientBoolean(value: unknown): boolean | null {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "true" || text === "1" || text === "on") return true;
    if (text === "false" || text === "0" || text === "") return false;
  }
  return null;
}

/** How much of a body to read, and what to answer (1006) when it is bigger (lib/sandbox/body-limits.ts). */
export type BodyLimit = { bytes: number; refusal: string };

/** Reads the whole body, refusing (1006) once it grows past, or declares more than, the limit. */
async function readBodyOrRefuse(request: Request, limit: BodyLimit): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await readBodyWithLimit(request, limit.bytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new GatewayApiError(1006, limit.refusal);
    throw error;
  }
}

export async function parseGatewayParams(request: Request, limit: BodyLimit): Promise<GatewayParams> {
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  const body = await readBodyOrRefuse(request, limit);
  if (body.byteLength === 0) return GatewayParams.empty();

  if (contentType.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
    } catch {
      throw new GatewayApiError(1006, "Malformed multipart/form-data body");
    }
    return new GatewayParams(collectFormEntries(form.entries()));
  }

  const text = new TextDecoder().decode(body);
  const declaredJson = contentType.includes("json");
  // `curl -d '{"type":"mms"}'` labels a JSON body as x-www-form-urlencoded (curl's default), and so do
  // some hand-written clients: a body that is a JSON object is read as JSON whatever its label says.
  let parsed: unknown = undefined;
  if (declaredJson || /^\s*[[{]/.test(text)) {
    try {
      parsed = JSON.parse(text);
    } catch {
      if (declaredJson || !contentType.includes("x-www-form-urlencoded")) throw new GatewayApiError(1006, "Malformed JSON body");
    }
  }
  if (parsed !== undefined) {
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new GatewayApiError(1006, "The JSON body must be an object of parameters");
    }
    const values = new Map<string, unknown>();
    for (const [key, value] of Object.entries(parsed)) {
      if (value !== null) values.set(key, value);
    }
    return new GatewayParams(values);
  }

  return new GatewayParams(collectFormEntries(new URLSearchParams(text).entries()));
}

const BRACKETED_KEY = /^([^[\]]+)\[([^[\]]*)\]$/;

/**
 * Folds PHP-style form keys into lists: `phone[]=a&phone[]=b` and `phone[1]=b&phone[0]=a` both give
 * ["a","b"]; a plain key repeated also becomes a list.
 */
function collectFormEntries(entries: Iterable<[string, FormDataEntryValue]>): Map<string, unknown> {
  const plain = new Map<string, unknown[]>();
  const bracketed = new Map<string, { index: number | null; order: number; value: unknown }[]>();
  let order = 0;
  for (const [key, value] of entries) {
    const match = BRACKETED_KEY.exec(key);
    if (match) {
      const [, base = key, inner = ""] = match;
      const index = /^\d+$/.test(inner) ? Number(inner) : null;
      const slot = bracketed.get(base) ?? [];
      slot.push({ index, order: order++, value });
      bracketed.set(base, slot);
    } else {
      const slot = plain.get(key) ?? [];
      slot.push(value);
      plain.set(key, slot);
    }
  }
  const values = new Map<string, unknown>();
  for (const [key, list] of plain) values.set(key, list.length === 1 ? list[0] : list);
  for (const [key, list] of bracketed) {
    const sorted = [...list].sort((a, b) => {
      if (a.index !== null && b.index !== null) return a.index - b.index || a.order - b.order;
      if (a.index !== null) return -1;
      if (b.index !== null) return 1;
      return a.order - b.order;
    });
    const existing = values.get(key);
    const merged = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    values.set(key, [...merged, ...sorted.map((entry) => entry.value)]);
  }
  return values;
}
