import { z } from "zod";
import { listLibrary } from "@/lib/media/library";
import { defineRoute } from "@/lib/server/guard";

export const GET = defineRoute({ name: "listMedia", role: "viewer", input: z.object({}) }, async (_input, { request }) => ({
  ok: true,
  items: await listLibrary(request.signal),
}));
