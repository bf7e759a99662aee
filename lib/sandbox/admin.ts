import { z } from "zod";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";
import type { ActionContext } from "@/lib/sandbox/action-context";
import { GatewayApiError } from "@/lib/sandbox/errors";
import { FaultPlanSchema, type FaultPlan } from "@/lib/sandbox/faults";
import { storedFileContent } from "@/lib/sandbox/file-actions";
import type { GatewayParams } from "@/lib/sandbox/params";
import { InjectedReplySchema, PushTargetSchema, type SandboxPusher } from "@/lib/sandbox/push";
import { UPLOAD_ENCODINGS, type Sandbox, type UploadEncodings } from "@/lib/sandbox/types";

export const ADMIN_PREFIX = "__admin/";

type AdminHandler = (params: GatewayParams) => unknown;

/**
 * Test-only controls (fault plan, ledger, clock, credit). Mounted only when `adminEnabled`; errors reuse
 * the gateway envelope so test clients need one decoder.
 */
export type AdminControls = {
  setFaults(plan: FaultPlan): FaultPlan;
  setUploadEncodings(accepted: UploadEncodings): void;
  pusher: SandboxPusher;
};

export function adminActions(sandbox: Pick<Sandbox, "ledger" | "stats" | "reset">, context: ActionContext, controls: AdminControls): Record<string, AdminHandler> {
  const { pusher } = controls;
  return {
    [`${ADMIN_PREFIX}faults`]: (params) => {
      const parsed = FaultPlanSchema.safeParse(params.raw());
      if (!parsed.success) throw new GatewayApiError(1006, `Invalid fault plan: ${z.prettifyError(parsed.error)}`);
      try {
        return controls.setFaults(parsed.data);
      } catch (error) {
        throw new GatewayApiError(1006, `Invalid fault plan: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    /**
     * `{"accept":"base64"|"multipart"|"both"}`: which disk-upload encodings files/add reads until the
     * next reset (SANDBOX_UPLOAD_ENCODINGS sets the start value). No `accept`: just reports it.
     */
    [`${ADMIN_PREFIX}upload-encodings`]: (params) => {
      const accept = params.string("accept")?.trim();
      if (accept !== undefined) {
        const parsed = z.enum(UPLOAD_ENCODINGS).safeParse(accept);
        if (!parsed.success) throw new GatewayApiError(1006, `accept must be one of ${UPLOAD_ENCODINGS.join(", ")} (got "${accept.slice(0, 40)}")`);
        controls.setUploadEncodings(parsed.data);
      }
      return { accept: context.uploadEncodings() };
    },
    [`${ADMIN_PREFIX}reset`]: () => {
      sandbox.reset();
      return { success: true };
    },
    [`${ADMIN_PREFIX}ledger`]: (params) => ({ items: sandbox.ledger({ includeDeleted: params.boolean("includeDeleted") }) }),
    [`${ADMIN_PREFIX}stats`]: () => sandbox.stats(),
    /** The bytes the sandbox stored for a file (`id`, `type`), base64: how tests check an upload arrived intact. */
    [`${ADMIN_PREFIX}file`]: (params) => storedFileContent(params, context),
    [`${ADMIN_PREFIX}clock`]: async (params) => {
      const advanceMs = params.integer("advanceMs");
      if (advanceMs === undefined) throw new GatewayApiError(2000, "Missing required parameter: advanceMs");
      // Forward only: moving back would make already dispatched messages look scheduled again.
      if (advanceMs < 0) throw new GatewayApiError(1006, "advanceMs must be 0 or more");
      const clockOffsetMs = context.store.advanceClock(advanceMs);
      // Statuses that changed with the jump are pushed before answering, so a test can look right after.
      const pushed = pusher.current() ? { pushed: await pusher.flush() } : {};
      return { clockOffsetMs, now: formatGatewayTimestamp(new Date(context.now())), ...pushed };
    },
    /** Sets where reports and replies are pushed (`{"url":null}` turns it off); the current setting without a url. */
    [`${ADMIN_PREFIX}push`]: (params) => {
      if (!params.has("url")) return { target: pusher.current() };
      const parsed = PushTargetSchema.safeParse(params.raw());
      if (!parsed.success) throw new GatewayApiError(1006, `Invalid push target: ${z.prettifyError(parsed.error)}`);
      return { target: pusher.configure(parsed.data) };
    },
    /** Pushes every status change due now (and retries earlier failures). */
    [`${ADMIN_PREFIX}push/flush`]: () => pusher.flush(),
    /** A recipient's reply, pushed like the panel does for a two-way number (reference §9.2, §9.3). */
    [`${ADMIN_PREFIX}reply`]: async (params) => {
      const parsed = InjectedReplySchema.safeParse(params.raw());
      if (!parsed.success) throw new GatewayApiError(1006, `Invalid reply: ${z.prettifyError(parsed.error)}`);
      if (!pusher.current()) throw new GatewayApiError(1006, "No push URL is set: call __admin/push first or set SANDBOX_PUSH_URL");
      return pusher.injectReply(parsed.data);
    },
    [`${ADMIN_PREFIX}credit`]: (params) => {
      const mms = params.integer("mms");
      if (mms === undefined) throw new GatewayApiError(2000, "Missing required parameter: mms");
      if (mms < 0) throw new GatewayApiError(1006, "mms must be 0 or more");
      context.store.setMmsCredit(mms);
      return { mms };
    },
  };
}
