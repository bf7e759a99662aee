import { z } from "zod";
import { readLibrary } from "@/lib/media/library";
import type { MediaListResponse } from "@/lib/media/library-types";
import { defineRoute } from "@/lib/server/guard";

/** files/index type=voice, for the read-only voice tab. */
export const GET = defineRoute(
  { name: "listVoiceMedia", role: "viewer", input: z.object({}) },
  async (_input, { request }): Promise<MediaListResponse> => ({ ok: true, ...(await readLibrary("voice", request.signal)) }),
);
