"use server";

import { getMediaService } from "@/lib/media/upload-service";
import {
  BeginUploadSchema,
  DeleteMediaSchema,
  ImportUrlSchema,
  UploadChunkFormSchema,
  UploadRefSchema,
} from "@/lib/media/upload-schemas";
import { defineAction } from "@/lib/server/guard";

/*
 * Chunked upload: beginUpload → uploadChunk × n → finishUpload (or cancelUpload). Only beginUpload
 * and imports count against the "upload" rate limit: chunks and the finish are bounded by the size
 * announced at begin, so limiting them would only punish large files.
 */

/** Reuses identical content already in the library, or opens an upload ({uploadId, chunkSize}). */
export const beginUpload = defineAction({ name: "beginUpload", role: "sender", input: BeginUploadSchema, rateLimit: "upload" }, (input, ctx) =>
  getMediaService().beginUpload(input, ctx),
);

/** FormData {uploadId, index, chunk: Blob}: appended at index × chunkSize, strictly in order. */
export const uploadChunk = defineAction({ name: "uploadChunk", role: "sender", input: UploadChunkFormSchema }, (input, ctx) =>
  getMediaService().uploadChunk(input, ctx),
);

/** Validates the assembled file, sends it to the gateway and returns the new library item. */
export const finishUpload = defineAction({ name: "finishUpload", role: "sender", input: UploadRefSchema }, (input, ctx) =>
  getMediaService().finishUpload(input, ctx),
);

export const cancelUpload = defineAction({ name: "cancelUpload", role: "sender", input: UploadRefSchema }, (input, ctx) =>
  getMediaService().cancelUpload(input, ctx),
);

/** files/add with a URL: the gateway fetches the file, this app never does. */
export const importMediaFromUrl = defineAction({ name: "importMediaFromUrl", role: "sender", input: ImportUrlSchema, rateLimit: "upload" }, (input, ctx) =>
  getMediaService().importFromUrl(input, ctx),
);

/** files/delete plus our copy; admins only. */
export const deleteMedia = defineAction({ name: "deleteMedia", role: "admin", input: DeleteMediaSchema }, (input, ctx) =>
  getMediaService().deleteMedia(input, ctx),
);
