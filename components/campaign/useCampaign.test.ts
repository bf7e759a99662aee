import { describe, expect, it } from "vitest";
import { countBatches } from "@/lib/campaign/lifecycle";
import { testSummary } from "./test-summary";
import { CAMPAIGN_POLL_MS, CAMPAIGN_SLOW_POLL_MS, recipientsVersion, summaryPollInterval } from "./useCampaign";

const actions = (on: Partial<ReturnType<typeof testSummary>["actions"]>) => ({ ...testSummary().actions, ...on });

describe("summaryPollInterval: the campaign page's one polling loop", () => {
  it("polls every second while sending", () => {
    expect(summaryPollInterval(testSummary({ status: "sending", displayStatus: "sending", running: true }))).toBe(CAMPAIGN_POLL_MS);
  });

  it("polls every second while paused with batches still on their way", () => {
    const summary = testSummary({ status: "paused", running: true, batches: countBatches([{ status: "sending" }, { status: "pending" }]) });
    expect(summaryPollInterval(summary)).toBe(CAMPAIGN_POLL_MS);
  });

  it("polls slowly while paused with nothing in flight (a colleague may resume or cancel it)", () => {
    const summary = testSummary({ status: "paused", batches: countBatches([{ status: "done" }, { status: "pending" }]), actions: actions({ resume: true }) });
    expect(summaryPollInterval(summary)).toBe(CAMPAIGN_SLOW_POLL_MS);
  });

  it("polls slowly while delivery statuses are pending: the server checks them on its own schedule", () => {
    expect(summaryPollInterval(testSummary({ actions: actions({ refresh: true }), delivery: { sent: 100 } }))).toBe(CAMPAIGN_SLOW_POLL_MS);
  });

  it("polls slowly while unclear batches wait for the server's own look-up", () => {
    expect(summaryPollInterval(testSummary({ status: "partial", batches: countBatches([{ status: "unknown" }]) }))).toBe(CAMPAIGN_SLOW_POLL_MS);
  });

  it("does not poll a settled campaign, nor before the first load", () => {
    expect(summaryPollInterval(testSummary())).toBe(false);
    expect(summaryPollInterval(testSummary({ status: "cancelled", displayStatus: "cancelled" }))).toBe(false);
    expect(summaryPollInterval(undefined)).toBe(false);
  });
});

describe("recipientsVersion: when the table is fetched again", () => {
  it("changes when counts, delivery or status change", () => {
    const base = testSummary();
    expect(recipientsVersion(testSummary())).toBe(recipientsVersion(base));
    expect(recipientsVersion(testSummary({ delivery: { delivered: 99, undelivered: 1 } }))).not.toBe(recipientsVersion(base));
    expect(recipientsVersion(testSummary({ recipients: { ...base.recipients, queued: 99, failed: 1 } }))).not.toBe(recipientsVersion(base));
    expect(recipientsVersion(testSummary({ status: "partial" }))).not.toBe(recipientsVersion(base));
    expect(recipientsVersion(testSummary({ inconclusive: { numbers: 1, checkedAt: 1, checkAfter: 2 } }))).not.toBe(recipientsVersion(base));
  });

  it("stays the same when only the next delivery check moves (no row changed)", () => {
    expect(recipientsVersion(testSummary({ nextDeliveryCheckAt: 123 }))).toBe(recipientsVersion(testSummary()));
  });
});
