import { z } from "zod";
import { listVoiceLibrary } from "@/lib/media/library";
import { defineRoute } from "@/lib/server/guard";

/** files/index type=voice, for the read-only voice tab. */
export const GET = defineRoute({ name: "listVoiceMedia", role: "viewer", input: z.object({}) }, async (_input, { request }) => ({
  ok: true,
  items: await listVoiceLibrary(request.signal),
}));
