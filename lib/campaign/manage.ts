import "server-only";
import { z } from "zod";
import { getAppDb } from "@/lib/db";
import { getCampaign } from "@/lib/db/queries/campaigns";
import type { GuardContext } from "@/lib/server/guard";
import { type ActionFailure, type ActionResult, failure } from "@/lib/server/result";
import { getCampaignService } from "./index";
import { type CancelOutcome, CampaignStateError } from "./service";
import type { CampaignSummary } from "./types";
import { summarizeCampaign } from "./view";

export const CampaignRefSchema = z.object({ campaignId: z.uuid("Unknown campaign") });

export function campaignSummary(campaignId: string): CampaignSummary | null {
  const campaign = getCampaign(getAppDb(), campaignId);
  const service = getCampaignService();
  return campaign ? summarizeCampaign(getAppDb(), campaign, service.isRunning(campaignId), Date.now(), service.reconcileGraceMs) : null;
}

type AuditDetail = Parameters<GuardContext["audit"]>[2];

/**
 * Runs one campaign operation and answers with the fresh summary; state conflicts become clear messages.
 * `judge` may turn an outcome that did not do what the user asked into a failure (it is audited first).
 */
export async function operateOnCampaign<O>(
  campaignId: string,
  ctx: GuardContext,
  operation: (service: ReturnType<typeof getCampaignService>) => Promise<O>,
  auditAs?: Parameters<GuardContext["audit"]>[0],
  judge?: (outcome: O) => ActionFailure | null,
): Promise<ActionResult<{ summary: CampaignSummary }>> {
  if (!getCampaign(getAppDb(), campaignId)) return failure("not_found", "That campaign does not exist.");
  let outcome: O;
  try {
    outcome = await operation(getCampaignService());
  } catch (error) {
    if (error instanceof CampaignStateError) return failure("conflict", error.message);
    throw error;
  }
  if (auditAs) ctx.audit(auditAs, campaignId, outcome && typeof outcome === "object" ? (outcome as AuditDetail) : null);
  return judge?.(outcome) ?? { ok: true, summary: campaignSummary(campaignId)! };
}

/**
 * A cancel that left anything scheduled is a failure for the user: the campaign stays scheduled and
 * the gateway's reason is shown (the audit entry, written before, keeps the counts and the reason).
 */
export function cancelNotDone(outcome: CancelOutcome): ActionFailure | null {
  if (outcome.failed === 0) return null;
  const what =
    outcome.cancelled > 0
      ? `${outcome.cancelled} message(s) were cancelled, ${outcome.failed} are still scheduled`
      : `nothing was cancelled, ${outcome.failed} message(s) are still scheduled`;
  return failure("gateway", `The campaign is still scheduled: ${what}. ${outcome.reason ?? ""}`.trim());
}
