"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { configuredPushUrl, selfTestPush } from "@/lib/push/endpoint";
import { defineAction } from "@/lib/server/guard";
import { failure } from "@/lib/server/result";

/** "Send a test push": the server calls its own push URL, as the SerwerSMS panel would, and reports the answer. */
export const sendTestPush = defineAction({ name: "sendTestPush", role: "admin", input: z.object({}).strict() }, async () => {
  const url = configuredPushUrl(await headers());
  if (!url) return failure("conflict", "Push is off: set SERWERSMS_PUSH_SECRET (at least 16 characters) and restart.");
  try {
    const result = await selfTestPush(url);
    if (result.status === 200 && result.answer === "OK") return { ok: true, ...result };
    return failure("gateway", `The push URL answered HTTP ${result.status}${result.answer ? ` “${result.answer.slice(0, 80)}”` : ""} instead of OK.`);
  } catch {
    // The URL holds the secret: it is never part of a message or a log line.
    return failure("gateway", "The push URL could not be reached from this server (timeout or connection refused). Check PUBLIC_URL and the proxy in front of the dashboard.");
  }
});
