import "server-only";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { getGatewayClient } from "@/lib/serwersms";
import { type CampaignService, createCampaignService } from "./service";

const holder = globalThis as typeof globalThis & { __mmsCampaignService?: CampaignService };

/** One service per process: it runs this process's workers (lib/campaign/engine.ts). */
export function getCampaignService(): CampaignService {
  holder.__mmsCampaignService ??= createCampaignService({
    db: getAppDb(),
    gateway: getGatewayClient(),
    reconcileGraceMs: getConfig().reconcileGraceMs,
    engine: getConfig().engine,
  });
  return holder.__mmsCampaignService;
}
