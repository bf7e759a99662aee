import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { encodeStartCampaignForm, REQUEST_PART_MAX_BYTES } from "@/lib/compose/request-form";
import { RECIPIENT_LIST_MAX_BYTES } from "@/lib/compose/limits";
import { UPLOAD_CHUNK_BYTES } from "@/lib/media/limits";
import { actionFormBytes, fitsInOneServerAction, MULTIPART_PART_OVERHEAD_BYTES, SERVER_ACTION_BODY_LIMIT_BYTES } from "./server-action-limits";

describe("the server-action body limit", () => {
  it("is what next.config.ts gives Next, as Next reads it", () => {
    // The parser Next applies to bodySizeLimit (next/dist/server/app-render/action-handler.js).
    const bytes = createRequire(import.meta.url)("next/dist/compiled/bytes") as { parse(value: unknown): number };
    expect(bytes.parse(nextConfig.experimental?.serverActions?.bodySizeLimit)).toBe(SERVER_ACTION_BODY_LIMIT_BYTES);
  });

  it("holds the largest bodies the app sends: an upload chunk, and a full recipient list with the rest of the form", () => {
    const chunk = new FormData();
    chunk.set("uploadId", "0".repeat(32));
    chunk.set("index", "10");
    chunk.set("chunk", new Blob([new Uint8Array(UPLOAD_CHUNK_BYTES)]));
    expect(fitsInOneServerAction(actionFormBytes(chunk))).toBe(true);
    expect(RECIPIENT_LIST_MAX_BYTES + REQUEST_PART_MAX_BYTES + 3 * MULTIPART_PART_OVERHEAD_BYTES).toBeLessThan(SERVER_ACTION_BODY_LIMIT_BYTES);
  });

  it("estimates a form from above: its parts, their names, and framing", () => {
    const form = encodeStartCampaignForm({ title: "Zażółć", recipients: ["+48500600700", "+48500600701"] });
    const parts = '{"title":"Zażółć"}'.length + 4 /* ż, ó, ł and ć take 2 bytes each */ + 25 + "request".length + "recipients".length;
    expect(actionFormBytes(form)).toBe(parts + 3 * MULTIPART_PART_OVERHEAD_BYTES);
    expect(fitsInOneServerAction(SERVER_ACTION_BODY_LIMIT_BYTES)).toBe(true);
    expect(fitsInOneServerAction(SERVER_ACTION_BODY_LIMIT_BYTES + 1)).toBe(false);
  });
});
