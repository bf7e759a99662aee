import type { DeliveryTimeline } from "@/lib/sandbox/delivery";
import type { GatewayParams } from "@/lib/sandbox/params";
import type { SandboxStore } from "@/lib/sandbox/store";
import type { UploadEncodings } from "@/lib/sandbox/types";

export type ActionContext = {
  store: SandboxStore;
  /** Sandbox clock in epoch ms (options.now plus the admin offset). */
  now(): number;
  timeline: DeliveryTimeline;
  /** How long a queued message stays out of reports (the fault plan's reportLagMs; 0 = none). */
  reportLagMs(): number;
  maxFileBytes: number;
  filesDir: string;
  urlAllowlist: readonly string[];
  /** Which disk-upload encodings files/add reads now (options, or the admin endpoint). */
  uploadEncodings(): UploadEncodings;
};

/** Returns the JSON answer, or throws GatewayApiError for the error envelope. */
export type ActionHandler = (params: GatewayParams, context: ActionContext) => unknown;
