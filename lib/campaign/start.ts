import "server-only";
import { z } from "zod";
import type { GuardContext } from "@/lib/server/guard";
import { type ActionResult, failure } from "@/lib/server/result";
import { getGatewayClient } from "@/lib/serwersms";
import { FORM_UNREADABLE, requestFromForm } from "@/lib/compose/request-form";
import { instantOfSchedule, makeComposeSchema } from "@/lib/compose/schemas";
import { getCampaignService } from "./index";
import { CampaignStateError } from "./service";
import { SendOptionsSchema } from "./options";

export const StartCampaignSchema = makeComposeSchema().extend({
  options: SendOptionsSchema.default({ batchSize: 200, concurrency: 4 }),
});
export type StartCampaignRequest = z.input<typeof StartCampaignSchema>;

/** The composer's server action takes the same request as FormData (see lib/compose/request-form.ts for why). */
export const StartCampaignFormSchema = z
  .instanceof(FormData, { error: FORM_UNREADABLE })
  .transform(requestFromForm)
  .pipe(StartCampaignSchema);

/**
 * The one server path behind both "Preview (test mode)" and "Send"/"Schedule": checks the files
 * still exist at the gateway, stores the plan, starts sending. Nothing reaches the gateway's send
 * action unless every check passed.
 */
export async function launchCampaign(
  input: z.output<typeof StartCampaignSchema>,
  ctx: GuardContext,
): Promise<ActionResult<{ campaignId: string; created: boolean }>> {
  const library = new Set((await getGatewayClient().files.list("mms")).map((file) => file.id));
  const missing = input.fileIds.filter((id) => !library.has(id));
  if (missing.length > 0) {
    return failure("invalid", "Some chosen files are no longer in the library.", {
      fileIds: missing.map((id) => `File ${id} is no longer in the library; remove it and choose another.`),
    });
  }
  const scheduledFor = input.test ? null : instantOfSchedule(input.schedule);
  let started: { campaignId: string; created: boolean };
  try {
    started = getCampaignService().start(
      {
        title: input.title,
        fileIds: input.fileIds,
        text: input.text,
        recipients: input.recipients,
        scheduledFor,
        test: input.test,
        idempotencyKey: input.idempotencyKey,
        batchSize: input.options.batchSize,
        concurrency: input.options.concurrency,
      },
      ctx.user,
    );
  } catch (error) {
    // The idempotency key was used by another user or for another request: nothing was stored or sent.
    if (error instanceof CampaignStateError) return failure("conflict", error.message);
    throw error;
  }
  const { campaignId, created } = started;
  if (created) {
    ctx.audit(input.test ? "test_preview" : scheduledFor ? "schedule" : "send", campaignId, {
      recipients: input.recipients.length,
      files: input.fileIds,
      batchSize: input.options.batchSize,
    });
  }
  return { ok: true, campaignId, created };
}
