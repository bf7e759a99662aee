import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GatewayError, GatewayHttpError, GatewayMalformedResponseError, GatewayNetworkError, GatewayTimeoutError } from "./errors";
import { base64JsonUploadBody, BASE64_SOURCE_CHUNK_BYTES, isFileNotReadRefusal } from "./upload";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number[] }> {
  const chunks: number[] = [];
  const parts: Buffer[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value.byteLength);
    parts.push(Buffer.from(value));
  }
  return { text: Buffer.concat(parts).toString("utf8"), chunks };
}

/** A Blob whose stream hands out the bytes in pieces of the given sizes (as a file read would). */
function blobInPieces(bytes: Uint8Array, sizes: number[]): Blob {
  return {
    size: bytes.byteLength,
    type: "application/octet-stream",
    stream() {
      let offset = 0;
      let i = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.byteLength) return controller.close();
          const size = sizes[i++ % sizes.length] ?? 1;
          controller.enqueue(bytes.subarray(offset, offset + size));
          offset += size;
        },
      });
    },
  } as unknown as Blob;
}

describe("base64JsonUploadBody: the files/add JSON body, encoded while it streams", () => {
  it.each([0, 1, 2, 3, 4, 5, 1000, BASE64_SOURCE_CHUNK_BYTES - 1, BASE64_SOURCE_CHUNK_BYTES, BASE64_SOURCE_CHUNK_BYTES + 1, 3 * BASE64_SOURCE_CHUNK_BYTES + 2])(
    "is the JSON the official clients send, with the exact length announced, for %i bytes",
    async (size) => {
      const bytes = new Uint8Array(randomBytes(size));
      // Odd piece sizes, so the 3-byte groups of base64 straddle the pieces the file arrives in.
      const body = base64JsonUploadBody({ type: "mms", name: "promo \"1\".png", system: "client_x" }, blobInPieces(bytes, [7, 1, 65_537, 2]));
      const { text } = await readAll(body.stream());
      expect(Buffer.byteLength(text)).toBe(body.length);
      expect(JSON.parse(text)).toEqual({ type: "mms", name: 'promo "1".png', system: "client_x", file: Buffer.from(bytes).toString("base64") });
    },
  );

  it("pulls the file only as the body is read, in chunks far smaller than the file", async () => {
    const bytes = new Uint8Array(randomBytes(2 * 1024 * 1024 + 1));
    let pulled = 0;
    const counting = blobInPieces(bytes, [64 * 1024]);
    const source = {
      size: counting.size,
      stream: () =>
        counting.stream().pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              pulled += chunk.byteLength;
              controller.enqueue(chunk);
            },
          }),
        ),
    } as unknown as Blob;
    const body = base64JsonUploadBody({ type: "mms" }, source);
    expect(pulled).toBe(0);
    const reader = body.stream().getReader();
    let sent = 0;
    let largest = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sent += value.byteLength;
      largest = Math.max(largest, value.byteLength);
      // Never more than a couple of source chunks ahead of what has been sent.
      expect(pulled).toBeLessThanOrEqual((sent * 3) / 4 + 2 * BASE64_SOURCE_CHUNK_BYTES);
    }
    expect(pulled).toBe(bytes.byteLength);
    expect(largest).toBeLessThanOrEqual(Math.ceil(BASE64_SOURCE_CHUNK_BYTES / 3) * 4 + 4);
  });

  it("encodes each piece of the file as it is read, never gathering pieces into a larger buffer first", async () => {
    // 64 KiB: how a file-backed Blob (fs.openAsBlob) hands out the file. Gathering three of them into
    // one 192 KiB piece copied every byte twice more off the V8 heap (bench P7).
    const read = 64 * 1024;
    const bytes = new Uint8Array(randomBytes(10 * read + 1));
    const body = base64JsonUploadBody({ type: "mms" }, blobInPieces(bytes, [read]));
    const { text, chunks } = await readAll(body.stream());
    expect(JSON.parse(text)).toEqual({ type: "mms", file: Buffer.from(bytes).toString("base64") });
    // One read and the up to 2 bytes left over from the one before it, as base64.
    expect(Math.max(...chunks)).toBeLessThanOrEqual(Math.ceil((read + 2) / 3) * 4);
  });

  it("still cuts a file handed over in one piece (an in-memory Blob) into pieces of at most BASE64_SOURCE_CHUNK_BYTES", async () => {
    const bytes = new Uint8Array(randomBytes(5 * BASE64_SOURCE_CHUNK_BYTES + 2));
    const body = base64JsonUploadBody({ type: "mms" }, new Blob([bytes]));
    const { text, chunks } = await readAll(body.stream());
    expect(JSON.parse(text)).toEqual({ type: "mms", file: Buffer.from(bytes).toString("base64") });
    expect(Math.max(...chunks)).toBeLessThanOrEqual(Math.ceil(BASE64_SOURCE_CHUNK_BYTES / 3) * 4 + 4);
  });
});

describe("isFileNotReadRefusal: which answers to an upload mean 'this gateway did not read file'", () => {
  it("retries on the gateway's 'missing parameters' (2000) and 'invalid data format' (1006) envelopes", () => {
    expect(isFileNotReadRefusal(new GatewayError("files/add", 2000, "ValidationRequiredError", "Missing required parameter: url or file"))).toBe(true);
    expect(isFileNotReadRefusal(new GatewayError("files/add", 1006, "InvalidData", "Invalid data format"))).toBe(true);
  });

  it("never retries other refusals, nor anything that is not a refusal (the upload may have been stored)", () => {
    expect(isFileNotReadRefusal(new GatewayError("files/add", 1001, "InvalidUser", "Incorrect login or password"))).toBe(false);
    expect(isFileNotReadRefusal(new GatewayError("files/add", 3004, "SendError", "limit"))).toBe(false);
    expect(isFileNotReadRefusal(new GatewayError("files/index", 2000, "ValidationRequiredError", "Missing"))).toBe(false);
    expect(isFileNotReadRefusal(new GatewayTimeoutError("files/add", 1000))).toBe(false);
    expect(isFileNotReadRefusal(new GatewayNetworkError("files/add", "ECONNRESET", true))).toBe(false);
    expect(isFileNotReadRefusal(new GatewayNetworkError("files/add", "ECONNREFUSED", false))).toBe(false);
    expect(isFileNotReadRefusal(new GatewayHttpError("files/add", 500, null))).toBe(false);
    expect(isFileNotReadRefusal(new GatewayMalformedResponseError("files/add", "not JSON"))).toBe(false);
    expect(isFileNotReadRefusal(new Error("boom"))).toBe(false);
  });
});
