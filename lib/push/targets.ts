import { isFinalDelivery } from "@/lib/campaign/delivery";
import type { AppDatabase } from "@/lib/db";
import { batchDeliveryTargets, batchesAwaitingReports } from "@/lib/db/queries/push";

/**
 * How long after its send (or scheduled) time a message may still get a pushed report. Reports come
 * within the message's validity, which the gateway does not document for MMS; a week covers the usual
 * 72 h of operators with room. Older reports are ignored here; the manual refresh still polls them.
 */
export const PUSH_WINDOW_MS = 7 * 24 * 3_600_000;

export type DeliveryTarget = { campaignId: string; position: number };

/**
 * Finds the recipient a pushed report is about, by the gateway's message id.
 *
 * Why in memory: campaign_recipients has deliberately no index on message_id (app-schema.ts: it made
 * storing a batch's answer 3.7× slower, bench P1), and a scan per pushed report would read 100 000
 * rows for each of 100 000 reports. So the send path writes nothing extra; this map is built lazily,
 * on the first report that misses it, and only from batches that may still get reports (answered,
 * in a non-test, non-cancelled campaign of the last PUSH_WINDOW_MS). Each batch is read once through
 * recipients_batch_idx and read again only when its status changes (retry, reconcile), so a miss
 * costs one query over campaigns and batches. Messages whose report is final are dropped, so memory
 * holds only deliveries still awaited (~100 bytes each).
 */
export class DeliveryTargets {
  private readonly byMessageId = new Map<string, DeliveryTarget>();
  /** batch key → the batch status it was read at, and the message ids it added. */
  private readonly batches = new Map<string, { status: string; messageIds: string[] }>();

  constructor(
    private readonly db: AppDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  find(messageId: string): DeliveryTarget | null {
    const known = this.byMessageId.get(messageId);
    if (known) return known;
    this.catchUp();
    return this.byMessageId.get(messageId) ?? null;
  }

  /** Called once a message's report is final: nothing more is expected for it. */
  forget(messageId: string): void {
    this.byMessageId.delete(messageId);
  }

  /** For tests and diagnostics. */
  get size(): number {
    return this.byMessageId.size;
  }

  private catchUp(): void {
    const current = new Set<string>();
    for (const batch of batchesAwaitingReports(this.db, this.now() - PUSH_WINDOW_MS)) {
      const key = `${batch.campaignId}\u0000${batch.seq}`;
      current.add(key);
      const seen = this.batches.get(key);
      if (seen?.status === batch.status) continue;
      for (const id of seen?.messageIds ?? []) this.byMessageId.delete(id);
      const messageIds: string[] = [];
      for (const target of batchDeliveryTargets(this.db, batch.campaignId, batch.seq)) {
        if (isFinalDelivery(target.deliveryStatus)) continue;
        this.byMessageId.set(target.messageId, { campaignId: batch.campaignId, position: target.position });
        messageIds.push(target.messageId);
      }
      this.batches.set(key, { status: batch.status, messageIds });
    }
    // Campaigns that left the window or were cancelled expect no more reports.
    for (const [key, seen] of this.batches) {
      if (current.has(key)) continue;
      for (const id of seen.messageIds) this.byMessageId.delete(id);
      this.batches.delete(key);
    }
  }
}

// Route handlers are bundled apart from the rest (lib/db/index.ts): the map lives on globalThis, per database.
const holder = globalThis as typeof globalThis & { __mmsDeliveryTargets?: WeakMap<AppDatabase, DeliveryTargets> };

export function deliveryTargetsFor(db: AppDatabase): DeliveryTargets {
  holder.__mmsDeliveryTargets ??= new WeakMap();
  let targets = holder.__mmsDeliveryTargets.get(db);
  if (!targets) holder.__mmsDeliveryTargets.set(db, (targets = new DeliveryTargets(db)));
  return targets;
}
