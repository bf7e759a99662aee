export { createSandbox, DEFAULT_MAX_FILE_BYTES, DEFAULT_MMS_LIMIT } from "@/lib/sandbox/sandbox";
export type { Sandbox, SandboxOptions, LedgerEntry, SandboxStats } from "@/lib/sandbox/types";
export { plannedDeliveryOutcome, UNDELIVERED_REASONS, type PlannedDeliveryOutcome } from "@/lib/sandbox/delivery";
export { FaultPlanSchema, FaultRuleSchema, type FaultPlan, type FaultRule, type FaultKind } from "@/lib/sandbox/faults";
export { DROP_CONNECTION, isDroppedConnection } from "@/lib/sandbox/drop";
export { normalizeGatewayPhone } from "@/lib/sandbox/phones";
