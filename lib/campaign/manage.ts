import "server-only";
import { z } from "zod";
import { getAppDb } from "@/lib/db";
import { getCampaign } from "@/lib/db/queries/campaigns";
import type { GuardContext } from "@/lib/server/guard";
import { type ActionResult, failure } from "@/lib/server/result";
import { getCampaignService } from "./index";
import { CampaignStateError } from "./service";
import type { CampaignSummary } from "./types";
import { summarizeCampaign } from "./view";

export const CampaignRefSchema = z.object({ campaignId: z.uuid("Unknown campaign") });

export function campaignSummary(campaignId: string): CampaignSummary | null {
  const campaign = getCampaign(getAppDb(), campaignId);
  const service = getCampaignService();
  return campaign ? summarizeCampaign(getAppDb(), campaign, service.isRunning(campaignId), Date.now(), service.reconcileGraceMs) : null;
}

/** Runs one campaign operation and answers with the fresh summary; state conflicts become clear messages. */
export async function operateOnCampaign(
  campaignId: string,
  ctx: GuardContext,
  operation: (service: ReturnType<typeof getCampaignService>) => Promise<unknown>,
  auditAs?: Parameters<GuardContext["audit"]>[0],
): Promise<ActionResult<{ summary: CampaignSummary }>> {
  if (!getCampaign(getAppDb(), campaignId)) return failure("not_found", "That campaign does not exist.");
  try {
    const outcome = await operation(getCampaignService());
    if (auditAs) ctx.audit(auditAs, campaignId, outcome && typeof outcome === "object" ? (outcome as Record<string, number>) : null);
  } catch (error) {
    if (error instanceof CampaignStateError) return failure("conflict", error.message);
    throw error;
  }
  return { ok: true, summary: campaignSummary(campaignId)! };
}
