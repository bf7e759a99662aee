/** What the browser receives about campaigns. Plain data: importable from client components. */
import type { BatchCounts, CampaignOperation, CampaignStatus, RecipientStatus } from "./lifecycle";

export type { BatchCounts, CampaignStatus, RecipientStatus };
export type RecipientCounts = Record<RecipientStatus, number>;

export type BatchProblem = { seq: number; status: "failed" | "unknown"; code: number | null; message: string | null; attempts: number };

export type CampaignSummary = {
  id: string;
  title: string;
  text: string | null;
  fileIds: string[];
  status: CampaignStatus;
  /** "scheduled" turns into "completed" once its time has passed. */
  displayStatus: CampaignStatus;
  test: boolean;
  createdAt: number;
  createdByEmail: string;
  finishedAt: number | null;
  scheduledFor: number | null;
  scheduleSent: string | null;
  recipientCount: number;
  batchSize: number;
  concurrency: number;
  batches: BatchCounts;
  recipients: RecipientCounts;
  delivery: Record<string, number>;
  problems: BatchProblem[];
  /**
   * The last "Check with gateway" left numbers unknown because the gateway had not reported them yet
   * (lib/campaign/reconcile.ts): how many, when it was asked, and from when a check settles them.
   */
  inconclusive: { numbers: number; checkedAt: number | null; checkAfter: number } | null;
  running: boolean;
  /** Why and since when a paused campaign is paused (a person, or the refusal that paused it). */
  pause: { reason: string | null; code: number | null; at: number | null } | null;
  /** What the lifecycle allows now (lib/campaign/lifecycle.ts operationBlocker). */
  actions: Record<CampaignOperation, boolean>;
  /** When the server asks the gateway for delivery statuses next (null: nothing pending). */
  nextDeliveryCheckAt: number | null;
};

export type CampaignListItem = Pick<
  CampaignSummary,
  "id" | "title" | "fileIds" | "status" | "displayStatus" | "test" | "createdAt" | "createdByEmail" | "scheduledFor" | "recipientCount"
> & { queued: number; unsent: number; unknown: number; failed: number };

export type RecipientResult = {
  position: number;
  phone: string;
  status: RecipientStatus;
  messageId: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  /** Plain words: what happened and what to do. */
  explanation: string | null;
  nextStep: string | null;
  /** The gateway's word, exactly as it came (CSV export, filters). */
  deliveryStatus: string | null;
  /** What a person reads for it ("unknown status: …" for a word the app does not list). */
  deliveryStatusLabel: string | null;
  deliveryReason: string | null;
  deliveryExplanation: string | null;
  deliveredAt: string | null;
};

export type RecipientFilter = RecipientStatus | "delivered" | "undelivered";
