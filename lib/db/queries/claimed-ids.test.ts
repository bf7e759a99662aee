import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempAppDatabase } from "@/tests/support/app-db";
import { claimedMessageIds, insertCampaignPlan, updateRecipients } from "./campaigns";

let app: ReturnType<typeof tempAppDatabase>;
beforeEach(() => {
  app = tempAppDatabase();
});
afterEach(() => app.dispose());

/** A campaign whose recipients hold `ids`, created and last written at the given instants. */
function campaignHolding(id: string, ids: string[], createdAt: number, updatedAt: number) {
  const phones = ids.map((_, i) => `+4850060${String(i).padStart(4, "0")}`);
  insertCampaignPlan(app.db, {
    id,
    idempotencyKey: id,
    createdByEmail: "a@example.com",
    createdAt,
    updatedAt,
    title: "T",
    fileIds: [],
    test: false,
    status: "completed",
    batchSize: 200,
    concurrency: 4,
    phones,
  });
  updateRecipients(app.db, id, ids.map((messageId, position) => ({ position, status: "queued", messageId })));
  // insertCampaignPlan keeps updatedAt; updateRecipients does not touch the campaign row.
}

describe("claimedMessageIds", () => {
  it("finds the candidate ids held by campaigns active around the window, and only those", () => {
    campaignHolding("now", ["a000000001", "a000000002"], 1_000, 5_000);
    campaignHolding("old", ["b000000001"], 10, 20);
    const holders = { createdAtMost: 6_000, updatedAtLeast: 900 };
    expect(claimedMessageIds(app.db, ["a000000001", "b000000001", "c000000001"], holders)).toEqual(new Set(["a000000001"]));
    expect(claimedMessageIds(app.db, [], holders)).toEqual(new Set());
    // The candidates do not linger between calls.
    expect(claimedMessageIds(app.db, ["a000000002"], holders)).toEqual(new Set(["a000000002"]));
  });

  it("reads recipients through the campaign key, never by scanning every campaign's recipients", () => {
    claimedMessageIds(app.db, ["x"], { createdAtMost: 1, updatedAtLeast: 0 });
    const plan = app.sqlite
      .prepare(
        "explain query plan select message_id from campaign_recipients where campaign_id in (select id from campaigns where created_at <= ? and updated_at >= ?) and message_id in (select id from temp.reconcile_candidate_ids)",
      )
      .all(1, 0) as { detail: string }[];
    const details = plan.map((step) => step.detail).join("\n");
    expect(details).toMatch(/SEARCH campaign_recipients USING .*\(campaign_id=\?\)/);
    expect(details).not.toMatch(/SCAN campaign_recipients/);
  });
});
