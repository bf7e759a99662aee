import { z } from "zod";

export const FaultRuleSchema = z.object({
  action: z.string().optional(), // e.g. "messages/send_mms"; omitted = every action
  nth: z.array(z.number().int().positive()).optional(), // which matching calls, 1-based, counted from when the plan was set; omitted = all
  kind: z.enum([
    "http500",
    "http429",
    "timeoutAfterAccept",
    "timeoutBeforeAccept",
    "reset",
    "resetAfterAccept",
    "error",
    "garbage",
    "answer",
    "answerAfterAccept",
  ]),
  code: z.number().int().optional(), // for kind "error": answer this documented error code
  retryAfterSeconds: z.number().int().optional(), // for http429
  /**
   * For "answer" (the request is not processed) and "answerAfterAccept" (it is, e.g. the messages are
   * really deleted): this JSON is the whole HTTP 200 answer. Shapes the vendor documents but the
   * sandbox never produces on its own, e.g. messages/delete answering only `{"success":false}` for a
   * refused cancel, or `{"success":true}` without the correct/failed counts (reference §9.4).
   */
  answer: z.record(z.string(), z.unknown()).optional(),
});
export const FaultPlanSchema = z.object({
  latencyMs: z.number().int().min(0).optional(),
  /**
   * messages/reports and messages/view list a message only once it has been queued this long (sandbox
   * clock): a gateway whose reports trail its sends. Accepted messages are in the ledger at once.
   */
  reportLagMs: z.number().int().min(0).optional(),
  rules: z.array(FaultRuleSchema).default([]),
});
export type FaultRule = z.infer<typeof FaultRuleSchema>;
export type FaultPlan = z.infer<typeof FaultPlanSchema>;
export type FaultKind = FaultRule["kind"];

/** Kinds after which the request is still processed and recorded, as a gateway that accepted it would. */
export const FAULTS_AFTER_ACCEPT: ReadonlySet<FaultKind> = new Set(["timeoutAfterAccept", "resetAfterAccept", "answerAfterAccept"]);

/**
 * Holds the active plan and, per rule, how many calls it has matched since the plan was set
 * (that count is what `nth` refers to).
 */
export class FaultController {
  private plan: FaultPlan = { rules: [] };
  private matchedCalls: number[] = [];

  constructor(initial?: FaultPlan) {
    if (initial) this.set(initial);
  }

  /** Throws (ZodError or Error) on an invalid plan; the previous plan then stays active. */
  set(plan: FaultPlan): FaultPlan {
    const parsed = FaultPlanSchema.parse(plan);
    const codeless = parsed.rules.findIndex((rule) => rule.kind === "error" && rule.code === undefined);
    if (codeless !== -1) throw new Error(`rules[${codeless}]: kind "error" needs a code`);
    const answerless = parsed.rules.findIndex((rule) => (rule.kind === "answer" || rule.kind === "answerAfterAccept") && rule.answer === undefined);
    if (answerless !== -1) throw new Error(`rules[${answerless}]: kind "${parsed.rules[answerless]!.kind}" needs an answer`);
    this.plan = parsed;
    this.matchedCalls = this.plan.rules.map(() => 0);
    return this.plan;
  }

  clear(): void {
    this.set({ rules: [] });
  }

  current(): FaultPlan {
    return this.plan;
  }

  get latencyMs(): number | undefined {
    return this.plan.latencyMs;
  }

  get reportLagMs(): number {
    return this.plan.reportLagMs ?? 0;
  }

  /** Counts this call against every matching rule and returns the first rule that fires for it, if any. */
  next(action: string): FaultRule | null {
    let fired: FaultRule | null = null;
    this.plan.rules.forEach((rule, index) => {
      if (rule.action !== undefined && normalizeRuleAction(rule.action) !== action) return;
      const call = (this.matchedCalls[index] ?? 0) + 1;
      this.matchedCalls[index] = call;
      if (fired === null && (rule.nth === undefined || rule.nth.includes(call))) fired = rule;
    });
    return fired;
  }
}

/** Rules may name the action the way clients call it ("/messages/send_mms.json"); match on the bare name. */
function normalizeRuleAction(action: string): string {
  return action.replace(/^\/+|\/+$/g, "").replace(/\.json$/i, "");
}
