import { countBatches, type CampaignOperation } from "@/lib/campaign/lifecycle";
import type { CampaignSummary } from "@/lib/campaign/types";

const NO_ACTIONS: Record<CampaignOperation, boolean> = { pause: false, resume: false, retry: false, reconcile: false, cancel: false, refresh: false };

/** A settled, completed campaign of 100 recipients in one batch, for unit tests of the campaign view; override what a test is about. */
export function testSummary(overrides: Partial<CampaignSummary> = {}): CampaignSummary {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    title: "Unit test",
    text: null,
    fileIds: ["f1"],
    status: "completed",
    displayStatus: "completed",
    test: false,
    createdAt: Date.UTC(2026, 10, 25, 9, 0),
    createdByEmail: "sender@example.com",
    finishedAt: Date.UTC(2026, 10, 25, 9, 1),
    scheduledFor: null,
    scheduleSent: null,
    recipientCount: 100,
    batchSize: 100,
    concurrency: 1,
    batches: { ...countBatches([{ status: "done" }]) },
    recipients: { pending: 0, queued: 100, unsent: 0, failed: 0, unknown: 0, cancelled: 0 },
    delivery: { delivered: 100 },
    problems: [],
    inconclusive: null,
    running: false,
    pause: null,
    actions: { ...NO_ACTIONS },
    nextDeliveryCheckAt: null,
    ...overrides,
  };
}
