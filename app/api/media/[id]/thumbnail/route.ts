import { z } from "zod";
import { getAppDb } from "@/lib/db";
import { mediaRowsById } from "@/lib/db/queries/media";
import { thumbnailPath } from "@/lib/media/library";
import { isMediaId, streamStoredFile, thumbnailHeaders } from "@/lib/media/storage";
import { defineRoute } from "@/lib/server/guard";
import { failure } from "@/lib/server/result";

const NO_THUMBNAIL = "This file has no thumbnail.";

/** The WebP thumbnail (≤320 px) we rendered for a raster image in the library. */
export const GET = defineRoute<z.ZodObject, { id: string }>({ name: "mediaThumbnail", role: "viewer", input: z.object({}) }, async (_input, { params }) => {
  if (!isMediaId(params.id)) return failure("not_found", NO_THUMBNAIL);
  const row = mediaRowsById(getAppDb(), [params.id]).get(params.id);
  if (!row?.hasThumbnail) return failure("not_found", NO_THUMBNAIL);
  return (await streamStoredFile(thumbnailPath(params.id), thumbnailHeaders(row.name), null)) ?? failure("not_found", NO_THUMBNAIL);
});
