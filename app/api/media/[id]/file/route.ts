import { z } from "zod";
import { getAppDb } from "@/lib/db";
import { mediaRowsById } from "@/lib/db/queries/media";
import { mediaFilePath } from "@/lib/media/library";
import { safeServeHeaders } from "@/lib/media/serve-headers";
import { isMediaId, streamStoredFile } from "@/lib/media/storage";
import { defineRoute } from "@/lib/server/guard";
import { failure } from "@/lib/server/result";

const Query = z.object({ download: z.literal("1").optional() });

const NOT_HELD = "We hold no copy of this file (it was uploaded outside this app, or deleted).";

/**
 * Our copy of a library file. Headers come from safeServeHeaders: the validated content type,
 * nosniff, a sandboxing CSP, and anything that could render as a document forced to download.
 */
export const GET = defineRoute<typeof Query, { id: string }>({ name: "mediaFile", role: "viewer", input: Query }, async (input, { params, request }) => {
  if (!isMediaId(params.id)) return failure("not_found", NOT_HELD);
  const row = mediaRowsById(getAppDb(), [params.id]).get(params.id);
  if (!row?.hasBytes) return failure("not_found", NOT_HELD);
  const headers = safeServeHeaders(row.contentType, row.name, input.download ? "attachment" : "inline");
  return (await streamStoredFile(mediaFilePath(params.id), headers, request.headers.get("range"))) ?? failure("not_found", NOT_HELD);
});
