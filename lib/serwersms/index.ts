import "server-only";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { appSettingsUploadEncodingMemory } from "@/lib/db/queries/settings";
import { createGatewayClient, type GatewayClient } from "./client";

export * from "./errors";
export type * from "./types";
export { createGatewayClient, type GatewayClient } from "./client";

const holder = globalThis as typeof globalThis & { __mmsGatewayClient?: GatewayClient };

/** The process-wide client for the configured gateway (embedded sandbox or live SerwerSMS). */
export function getGatewayClient(): GatewayClient {
  if (!holder.__mmsGatewayClient) {
    const { gateway } = getConfig();
    holder.__mmsGatewayClient = createGatewayClient({
      baseUrl: gateway.baseUrl,
      auth: gateway.auth,
      timeoutMs: gateway.timeoutMs,
      uploadEncoding: gateway.uploadEncoding,
      // What "auto" learned survives restarts, in the app database (key upload-encoding:<baseUrl>).
      uploadEncodingMemory: appSettingsUploadEncodingMemory(getAppDb()),
    });
  }
  return holder.__mmsGatewayClient;
}
