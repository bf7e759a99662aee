import { z } from "zod";
import { readLibrary } from "@/lib/media/library";
import type { MediaListResponse } from "@/lib/media/library-types";
import { defineRoute } from "@/lib/server/guard";

export const GET = defineRoute(
  { name: "listMedia", role: "viewer", input: z.object({}) },
  async (_input, { request }): Promise<MediaListResponse> => ({ ok: true, ...(await readLibrary("mms", request.signal)) }),
);
