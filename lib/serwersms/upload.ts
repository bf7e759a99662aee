import type { UploadEncodingSetting } from "@/lib/config/env";
import { GatewayError } from "./errors";

export type { UploadEncodingSetting };

/*
 * How a disk upload's `file` travels to files/add (issue 12 item 1). The docs type `file` as a
 * string and no official client sends multipart; PY and PHP put base64 in it (API reference §3.1,
 * §9.4, and the captured requests in tests/fixtures/official-client-requests.jsonl). The real
 * gateway's choice is unverified, so the client can send both and, in "auto", learns which one works.
 */

/** The two encodings; SERWERSMS_UPLOAD_ENCODING (lib/config/env.ts) picks one or "auto". */
export type UploadEncoding = Exclude<UploadEncodingSetting, "auto">;

/** Where "auto" keeps what it learned, per gateway base URL (the app: app_settings, lib/db/queries/settings.ts). */
export type UploadEncodingMemory = {
  recall(baseUrl: string): UploadEncoding | null;
  remember(baseUrl: string, encoding: UploadEncoding): void;
};

/** A memory for one client's lifetime, when nothing persistent is given (tests, scripts). */
export function inMemoryUploadEncodingMemory(): UploadEncodingMemory {
  const learned = new Map<string, UploadEncoding>();
  return { recall: (baseUrl) => learned.get(baseUrl) ?? null, remember: (baseUrl, encoding) => void learned.set(baseUrl, encoding) };
}

/**
 * The files/add answers that mean "this gateway did not read `file` as we sent it": its error
 * envelope with 2000 "missing required parameters" (a gateway reading only $_FILES['file'] sees no
 * `file` in a JSON body) or 1006 "invalid data format" (one reading the text of a multipart part, or
 * not taking base64). Codes from the documented table (reference §4). Only an error envelope counts:
 * it is a refusal, so nothing was stored. A timeout, dropped connection, HTTP error or unreadable answer
 * may come after the gateway stored the file, and a second upload would then add it twice.
 */
export const FILE_NOT_READ_CODES: ReadonlySet<number> = new Set([2000, 1006]);

/** Whether a files/add failure is one that the other encoding may fix (see FILE_NOT_READ_CODES). */
export function isFileNotReadRefusal(error: unknown): boolean {
  return error instanceof GatewayError && error.action === "files/add" && FILE_NOT_READ_CODES.has(error.code);
}

/**
 * The most of the file encoded per piece of the body: when the Blob hands over more at once (an
 * in-memory Blob gives its bytes whole), it is cut to this. A multiple of 3, so a piece encodes to
 * base64 without padding and the pieces simply concatenate; 192 KiB in, 256 KiB out.
 */
export const BASE64_SOURCE_CHUNK_BYTES = 3 * 64 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * The files/add JSON body `{...fields, "file":"<base64>"}` as a stream, with its exact length.
 *
 * Bench P7 (a 20 MB upload through /media: server peak RSS growth ≤ 1.5× the file) rules out building
 * it in memory: the base64 text alone is 4/3 of the file, plus the JSON string copy. Instead the file
 * (a file-backed Blob, fs.openAsBlob) is read only as the HTTP body is pulled (a pull-based
 * ReadableStream: undici asks for the next piece when the socket takes more), and each read (64 KiB
 * from a file) is encoded as it arrives: only the 0–2 bytes that do not fill a 3-byte group wait for
 * the next read. Gathering reads into larger pieces first would copy every byte twice more, off the
 * V8 heap, where nothing but a garbage collection frees it (P7 measured it). Base64 needs no JSON
 * escaping, so the text goes in as it is. The length is known up front (4 × ⌈n / 3⌉), so the gateway
 * gets a Content-Length instead of a chunked body.
 */
export function base64JsonUploadBody(fields: Record<string, string>, file: Blob): { stream: () => ReadableStream<Uint8Array>; length: number } {
  const encoder = new TextEncoder();
  const head = JSON.stringify(fields);
  const prefix = encoder.encode(`${head.slice(0, -1)}${head === "{}" ? "" : ","}"file":"`);
  const suffix = encoder.encode(`"}`);
  const length = prefix.byteLength + 4 * Math.ceil(file.size / 3) + suffix.byteLength;
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

  const stream = () => {
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    /** Read from the file and not yet encoded: a view of the last read, never a copy. */
    let rest: Uint8Array = EMPTY;
    /** The 0–2 bytes of an earlier read that did not fill a 3-byte group (a copy: it is tiny). */
    let carry: Uint8Array = EMPTY;
    let stage: "prefix" | "file" | "done" = "prefix";
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (stage === "prefix") {
            stage = "file";
            reader = file.stream().getReader();
            controller.enqueue(prefix);
            return;
          }
          if (stage === "done" || !reader) return;
          for (;;) {
            if (rest.byteLength === 0) {
              const { done, value } = await reader.read();
              if (done) {
                stage = "done";
                if (carry.byteLength > 0) controller.enqueue(encoder.encode(base64(carry)));
                controller.enqueue(suffix);
                controller.close();
                return;
              }
              rest = value;
              continue;
            }
            let text = "";
            if (carry.byteLength > 0) {
              // Complete the group left over from the read before with the first bytes of this one.
              const group = new Uint8Array(Math.min(3, carry.byteLength + rest.byteLength));
              group.set(carry);
              group.set(rest.subarray(0, group.byteLength - carry.byteLength), carry.byteLength);
              rest = rest.subarray(group.byteLength - carry.byteLength);
              carry = group;
              if (carry.byteLength < 3) continue;
              text = base64(carry);
              carry = EMPTY;
            }
            const whole = Math.min(rest.byteLength - (rest.byteLength % 3), BASE64_SOURCE_CHUNK_BYTES);
            text += base64(rest.subarray(0, whole));
            rest = rest.subarray(whole);
            // Less than a group left: keep a copy of it, so the read it came from can be freed.
            if (rest.byteLength < 3) {
              carry = rest.slice();
              rest = EMPTY;
            }
            if (text) {
              controller.enqueue(encoder.encode(text));
              return;
            }
          }
        },
        async cancel(reason) {
          await reader?.cancel(reason);
        },
      },
      // One piece ahead at most: nothing is read from the file before the socket asks for it.
      { highWaterMark: 0 },
    );
  };
  return { stream, length };
}
