import type { Database, Statement } from "better-sqlite3";
import { and, asc, count, desc, eq, getTableColumns, getTableName, gt, inArray, isNotNull, like, lte, notInArray, or, sql, type SQL } from "drizzle-orm";
import { batchCountFor, batchSeqOf, LEASE_EXPIRED, type RecipientStatus } from "@/lib/campaign/lifecycle";
import { FINAL_DELIVERY_STATUSES } from "@/lib/serwersms/delivery";
import type { AppDatabase } from "../index";
import { campaignBatches, campaignRecipients, campaigns, campaignStatusCounts } from "../app-schema";

export type CampaignRow = typeof campaigns.$inferSelect;
export type BatchRow = typeof campaignBatches.$inferSelect;
export type RecipientRow = typeof campaignRecipients.$inferSelect;
import type { CampaignStatus } from "@/lib/campaign/lifecycle";
export type { BatchStatus, CampaignStatus, RecipientStatus } from "@/lib/campaign/lifecycle";

/** SQLite allows 32 766 bound variables per statement; a few columns × 500 rows stays far below. */
const INSERT_CHUNK = 500;

export type NewCampaign = Omit<typeof campaigns.$inferInsert, "batchCount" | "recipientCount"> & {
  phones: string[];
  batchSize: number;
};

/** Why a stored idempotency key does not answer a new request: it came from another user, or with another request. */
export type IdempotencyConflict = "other_user" | "other_request";

export type PlanInsertion = { outcome: "created" | "existing"; id: string } | { outcome: "conflict"; reason: IdempotencyConflict };

/**
 * Inserts the campaign, its batches and every recipient in ONE transaction: either the whole plan is
 * stored before the first gateway call, or nothing is (no half-stored campaign).
 * When a campaign with the same idempotency key exists, nothing is written: its id comes back when it
 * is the same user's same request (same `requestHash`; a campaign stored before hashes existed has
 * none and answers any request of its user), otherwise the conflict. The check and the insert share
 * the transaction, and the key's unique index (campaigns_idem_idx) backs them.
 */
export function insertCampaignPlan(db: AppDatabase, plan: NewCampaign): PlanInsertion {
  return db.transaction((tx): PlanInsertion => {
    const existing = tx
      .select({ id: campaigns.id, requestHash: campaigns.requestHash, createdBy: campaigns.createdBy, createdByEmail: campaigns.createdByEmail })
      .from(campaigns)
      .where(eq(campaigns.idempotencyKey, plan.idempotencyKey))
      .get();
    if (existing) {
      // Users are told apart by id; an actor without one (none today) only by its e-mail.
      const sameUser =
        (plan.createdBy ?? null) !== null ? existing.createdBy === plan.createdBy : existing.createdBy === null && existing.createdByEmail === plan.createdByEmail;
      if (!sameUser) return { outcome: "conflict", reason: "other_user" };
      if (existing.requestHash !== null && existing.requestHash !== plan.requestHash) return { outcome: "conflict", reason: "other_request" };
      return { outcome: "existing", id: existing.id };
    }
    const { phones, ...campaign } = plan;
    const batchCount = batchCountFor(phones.length, plan.batchSize);
    tx.insert(campaigns).values({ ...campaign, recipientCount: phones.length, batchCount }).run();
    const batches = Array.from({ length: batchCount }, (_, seq) => ({ campaignId: plan.id, seq, status: "pending" as const }));
    for (let i = 0; i < batches.length; i += INSERT_CHUNK) tx.insert(campaignBatches).values(batches.slice(i, i + INSERT_CHUNK)).run();
    insertRecipients(db, plan.id, phones, plan.batchSize);
    // Every recipient starts pending. Written here rather than by an insert trigger, which cost
    // 1.6 s for 100,000 recipients; status changes and deletes are counted by triggers (migration 0004).
    if (phones.length > 0) tx.insert(campaignStatusCounts).values({ campaignId: plan.id, status: "pending", n: phones.length }).run();
    return { outcome: "created", id: plan.id };
  }, { behavior: "immediate" });
}

export function getCampaign(db: AppDatabase, id: string): CampaignRow | undefined {
  return db.select().from(campaigns).where(eq(campaigns.id, id)).get();
}

export function getBatches(db: AppDatabase, campaignId: string): BatchRow[] {
  return db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, campaignId)).orderBy(asc(campaignBatches.seq)).all();
}

/** What sending a batch needs of each recipient. */
export type BatchRecipient = Pick<RecipientRow, "position" | "phone">;

/**
 * A batch's recipients (optionally only those in `statuses`), in position order. Runs once per batch
 * of every campaign, so it reads just the two columns through a reused prepared statement.
 */
export function batchRecipients(db: AppDatabase, campaignId: string, seq: number, statuses?: RecipientStatus[]): BatchRecipient[] {
  const statement = prepared(db, `batch:${statuses?.length ?? "all"}`, () => {
    const byStatus = statuses ? ` and ${columnName("status")} in (${statuses.map(() => "?").join(", ")})` : "";
    // `+position`: ordering by the bare column made SQLite walk the primary key through every
    // recipient of the campaign (to skip a sort) instead of using recipients_batch_idx, 14 ms a batch
    // at 100 000 recipients. As an expression it is sorted after the index lookup (one batch).
    return (
      `select ${columnName("position")} as position, ${columnName("phone")} as phone from ${RECIPIENTS_TABLE}` +
      ` where ${columnName("campaignId")} = ? and ${columnName("batchSeq")} = ?${byStatus} order by +${columnName("position")}`
    );
  });
  return statement.all(campaignId, seq, ...(statuses ?? [])) as BatchRecipient[];
}

export function getBatch(db: AppDatabase, campaignId: string, seq: number): BatchRow | undefined {
  return db.select().from(campaignBatches).where(and(eq(campaignBatches.campaignId, campaignId), eq(campaignBatches.seq, seq))).get();
}

/** Recipients per status, from the trigger-kept campaign_status_counts (no scan of the recipients). */
export function countRecipientsByStatus(db: AppDatabase, campaignId: string): Record<RecipientStatus, number> {
  const rows = db
    .select({ status: campaignStatusCounts.status, n: campaignStatusCounts.n })
    .from(campaignStatusCounts)
    .where(eq(campaignStatusCounts.campaignId, campaignId))
    .all();
  const counts: Record<RecipientStatus, number> = { pending: 0, queued: 0, unsent: 0, failed: 0, unknown: 0, cancelled: 0 };
  for (const row of rows) counts[row.status as RecipientStatus] = row.n;
  return counts;
}

export function countDeliveryStatuses(db: AppDatabase, campaignId: string): Record<string, number> {
  const rows = db
    .select({ status: campaignRecipients.deliveryStatus, n: count() })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), isNotNull(campaignRecipients.deliveryStatus)))
    .groupBy(campaignRecipients.deliveryStatus)
    .all();
  return Object.fromEntries(rows.map((row) => [row.status ?? "", row.n]));
}

/**
 * A batch's outcome and its recipients' outcomes land together, or not at all. With `claimedBy` (a
 * worker recording the answer to its own request) it lands only while that worker still holds the
 * claim, or when the claim ran out and the batch is still the unknown it became then (nobody has
 * looked it up or sent it again, so the answer is the best record there is). Answers whether it landed.
 */
export function recordBatchOutcome(
  db: AppDatabase,
  campaignId: string,
  seq: number,
  batch: Partial<BatchRow>,
  recipients: RecipientUpdate[],
  claimedBy?: string,
): boolean {
  return db.transaction((tx) => {
    const where = and(eq(campaignBatches.campaignId, campaignId), eq(campaignBatches.seq, seq));
    if (claimedBy !== undefined) {
      const row = tx.select({ status: campaignBatches.status, leaseOwner: campaignBatches.leaseOwner, errorKind: campaignBatches.errorKind }).from(campaignBatches).where(where).get();
      const held = row?.status === "sending" && row.leaseOwner === claimedBy;
      const lateButUntouched = row?.status === "unknown" && row.errorKind === LEASE_EXPIRED;
      if (!held && !lateButUntouched) return false;
    }
    runRecipientUpdates(db, campaignId, recipients);
    tx.update(campaignBatches).set({ ...batch, leaseOwner: null, leaseExpiresAt: null }).where(where).run();
    return true;
  }, { behavior: "immediate" });
}

export function updateBatch(db: AppDatabase, campaignId: string, seq: number, values: Partial<BatchRow>): void {
  db.update(campaignBatches).set(values).where(and(eq(campaignBatches.campaignId, campaignId), eq(campaignBatches.seq, seq))).run();
}

export function updateCampaign(db: AppDatabase, id: string, values: Partial<CampaignRow>): void {
  db.update(campaigns).set({ ...values, updatedAt: Date.now() }).where(eq(campaigns.id, id)).run();
}

export type RecipientUpdate = { position: number } & Partial<Omit<RecipientRow, "campaignId" | "position">>;

export function updateRecipients(db: AppDatabase, campaignId: string, updates: RecipientUpdate[]): void {
  db.transaction(() => runRecipientUpdates(db, campaignId, updates));
}

// ---------------------------------------------------------------------------------------------
// Per-recipient writes of a campaign (up to 100 000 rows each), as reused prepared statements
// ---------------------------------------------------------------------------------------------

/**
 * Statements are prepared once per database and reused, on the driver directly. Through the query
 * builder, every recipient row cost a fresh build + prepare (~100 µs: 20 ms of blocked event loop per
 * 200-number batch, 5.6 s to store a 100 000-number plan), and even drizzle's own prepared statements
 * doubled the cost of the plain driver. Table and column names still come from the schema. They are
 * also used inside `db.transaction`: a transaction is a state of the one SQLite connection.
 */
const preparedByDb = new WeakMap<AppDatabase, Map<string, Statement>>();

function prepared(db: AppDatabase, key: string, sqlText: () => string): Statement {
  let cache = preparedByDb.get(db);
  if (!cache) preparedByDb.set(db, (cache = new Map()));
  let statement = cache.get(key);
  if (!statement) {
    // drizzle() attaches the driver's connection as $client (its declared type leaves it out).
    statement = (db as AppDatabase & { $client: Database }).$client.prepare(sqlText());
    cache.set(key, statement);
  }
  return statement;
}

const RECIPIENTS_TABLE = `"${getTableName(campaignRecipients)}"`;
type RecipientColumn = Exclude<keyof RecipientRow, "campaignId" | "position">;
const columnName = (key: keyof RecipientRow) => `"${campaignRecipients[key].name}"`;
/** Columns an update may set (everything but the key). */
const UPDATABLE = new Set<string>(Object.keys(getTableColumns(campaignRecipients)).filter((key) => key !== "campaignId" && key !== "position"));

function insertRecipients(db: AppDatabase, campaignId: string, phones: string[], batchSize: number): void {
  const insert = prepared(db, "insert", () => {
    const columns = (["campaignId", "position", "batchSeq", "phone", "status"] as const).map(columnName).join(", ");
    return `insert into ${RECIPIENTS_TABLE} (${columns}) values (?, ?, ?, ?, 'pending')`;
  });
  for (let position = 0; position < phones.length; position++) {
    insert.run(campaignId, position, batchSeqOf(position, batchSize), phones[position]);
  }
}

function runRecipientUpdates(db: AppDatabase, campaignId: string, updates: RecipientUpdate[]): void {
  // Updates of one kind set the same columns, so one statement serves a run of them; nothing is
  // allocated per row beyond the bound values (100 000 rows per campaign).
  let columns: RecipientColumn[] = [];
  let statement: Statement | null = null;
  const values: unknown[] = [];
  for (const update of updates) {
    if (statement === null || !setsExactly(update, columns)) {
      columns = (Object.keys(update) as (keyof RecipientUpdate)[]).filter(
        (key): key is RecipientColumn => key !== "position" && update[key] !== undefined,
      );
      columns.sort();
      if (columns.length === 0) {
        statement = null;
        continue;
      }
      statement = prepared(db, `update:${columns.join(",")}`, () => {
        for (const column of columns) if (!UPDATABLE.has(column)) throw new Error(`Not an updatable recipient column: ${column}`);
        const assignments = columns.map((column) => `${columnName(column)} = ?`).join(", ");
        return `update ${RECIPIENTS_TABLE} set ${assignments} where ${columnName("campaignId")} = ? and ${columnName("position")} = ?`;
      });
    }
    values.length = 0;
    for (const column of columns) values.push(update[column]);
    values.push(campaignId, update.position);
    statement.run(values);
  }
}

/** True when `update` sets exactly `columns` (keys with undefined values set nothing). */
function setsExactly(update: RecipientUpdate, columns: readonly RecipientColumn[]): boolean {
  let defined = 0;
  for (const key in update) if (key !== "position" && update[key as RecipientColumn] !== undefined) defined++;
  if (defined !== columns.length) return false;
  for (const column of columns) if (update[column] === undefined) return false;
  return true;
}

export type RecipientPageQuery = { campaignId: string; status?: RecipientStatus | "delivered" | "undelivered"; phone?: string; page: number; pageSize: number };

function recipientFilter(query: Omit<RecipientPageQuery, "page" | "pageSize">): SQL | undefined {
  const where: (SQL | undefined)[] = [eq(campaignRecipients.campaignId, query.campaignId)];
  if (query.status === "delivered" || query.status === "undelivered") where.push(eq(campaignRecipients.deliveryStatus, query.status));
  else if (query.status) where.push(eq(campaignRecipients.status, query.status));
  if (query.phone) where.push(like(campaignRecipients.phone, `%${query.phone.replace(/[%_\\]/g, "")}%`));
  return and(...where);
}

export function recipientPage(db: AppDatabase, query: RecipientPageQuery): { rows: RecipientRow[]; total: number } {
  const where = recipientFilter(query);
  const total = db.select({ n: count() }).from(campaignRecipients).where(where).get()?.n ?? 0;
  const rows = db
    .select()
    .from(campaignRecipients)
    .where(where)
    .orderBy(asc(campaignRecipients.position))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .all();
  return { rows, total };
}

/** Streams every recipient in position order, a chunk at a time (CSV export of 100 000 rows). */
export function* iterateRecipients(db: AppDatabase, campaignId: string, chunk = 2000): Generator<RecipientRow> {
  let after = -1;
  for (;;) {
    const rows = db
      .select()
      .from(campaignRecipients)
      .where(and(eq(campaignRecipients.campaignId, campaignId), gt(campaignRecipients.position, after)))
      .orderBy(asc(campaignRecipients.position))
      .limit(chunk)
      .all();
    if (rows.length === 0) return;
    yield* rows;
    after = rows[rows.length - 1]!.position;
  }
}

/** Message ids still waiting for a final delivery status (a status the app does not list is not final). */
export function pendingDeliveryMessageIds(db: AppDatabase, campaignId: string): { position: number; messageId: string }[] {
  return db
    .select({ position: campaignRecipients.position, messageId: campaignRecipients.messageId })
    .from(campaignRecipients)
    .where(
      and(
        eq(campaignRecipients.campaignId, campaignId),
        eq(campaignRecipients.status, "queued"),
        isNotNull(campaignRecipients.messageId),
        or(
          sql`${campaignRecipients.deliveryStatus} is null`,
          notInArray(campaignRecipients.deliveryStatus, [...FINAL_DELIVERY_STATUSES]),
        ),
      ),
    )
    .orderBy(asc(campaignRecipients.position))
    .all() as { position: number; messageId: string }[];
}

export function queuedMessageIds(db: AppDatabase, campaignId: string): { position: number; messageId: string }[] {
  return db
    .select({ position: campaignRecipients.position, messageId: campaignRecipients.messageId })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, "queued"), isNotNull(campaignRecipients.messageId)))
    .orderBy(asc(campaignRecipients.position))
    .all() as { position: number; messageId: string }[];
}

// ---------------------------------------------------------------------------------------------
// "Check with gateway" (lib/campaign/service.ts reconcile, rules in lib/campaign/reconcile.ts)
// ---------------------------------------------------------------------------------------------

/** An unknown recipient and the message id the gateway gave it, if its answer named one. */
export type UnknownRecipient = Pick<RecipientRow, "position" | "phone" | "messageId">;

/** A batch's still-unknown recipients in position order (through recipients_batch_idx, as batchRecipients). */
export function unknownBatchRecipients(db: AppDatabase, campaignId: string, seq: number): UnknownRecipient[] {
  const statement = prepared(
    db,
    "batch-unknown",
    () =>
      `select ${columnName("position")} as position, ${columnName("phone")} as phone, ${columnName("messageId")} as messageId` +
      ` from ${RECIPIENTS_TABLE} where ${columnName("campaignId")} = ? and ${columnName("batchSeq")} = ? and ${columnName("status")} = 'unknown'` +
      ` order by +${columnName("position")}`,
  );
  return statement.all(campaignId, seq) as UnknownRecipient[];
}

/** Campaigns that could hold a message queued in a window: created before its end, last written after its start. */
export type HolderCampaigns = { createdAtMost: number; updatedAtLeast: number };

const CANDIDATES_TABLE = "reconcile_candidate_ids";
const candidateTables = new WeakSet<AppDatabase>();

/**
 * The ids among `messageIds` that a recipient of one of `holders` already holds: a report with such an
 * id is another recipient's message, never this one's. campaign_recipients has deliberately no index
 * on message_id (app-schema.ts), so the candidates go into a temp table and each holder campaign's
 * recipients are read once through its primary key, however many candidates there are (chunked IN
 * lists would read them once per chunk). Holders are the few campaigns active around the window.
 */
export function claimedMessageIds(db: AppDatabase, messageIds: readonly string[], holders: HolderCampaigns): Set<string> {
  if (messageIds.length === 0) return new Set();
  const client = (db as AppDatabase & { $client: Database }).$client;
  if (!candidateTables.has(db)) {
    // TEMP: private to this connection, never in the database file, gone when it closes.
    client.exec(`create temp table if not exists ${CANDIDATES_TABLE} (id text primary key) without rowid`);
    candidateTables.add(db);
  }
  const insert = prepared(db, "candidates:insert", () => `insert or ignore into temp.${CANDIDATES_TABLE} (id) values (?)`);
  const clear = prepared(db, "candidates:clear", () => `delete from temp.${CANDIDATES_TABLE}`);
  const select = prepared(db, "candidates:claimed", () => {
    const c = (key: keyof CampaignRow) => `"${campaigns[key].name}"`;
    return (
      `select ${columnName("messageId")} as id from ${RECIPIENTS_TABLE}` +
      ` where ${columnName("campaignId")} in (select ${c("id")} from "${getTableName(campaigns)}" where ${c("createdAt")} <= ? and ${c("updatedAt")} >= ?)` +
      ` and ${columnName("messageId")} in (select id from temp.${CANDIDATES_TABLE})`
    );
  });
  return db.transaction(() => {
    clear.run();
    for (const id of messageIds) insert.run(id);
    const rows = select.all(holders.createdAtMost, holders.updatedAtLeast) as { id: string }[];
    clear.run();
    return new Set(rows.map((row) => row.id));
  });
}

/** How many recipients of these batches are still unknown, and when the gateway was last asked about them. */
export function unknownRecipientsIn(db: AppDatabase, campaignId: string, seqs: number[]): { numbers: number; checkedAt: number | null } {
  if (seqs.length === 0) return { numbers: 0, checkedAt: null };
  const row = db
    .select({ numbers: count(), checkedAt: sql<number | null>`max(${campaignRecipients.deliveryCheckedAt})` })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, "unknown"), inArray(campaignRecipients.batchSeq, seqs)))
    .get();
  return { numbers: row?.numbers ?? 0, checkedAt: row?.checkedAt ?? null };
}

export type CampaignListQuery = {
  status?: CampaignStatus | "test";
  search?: string;
  from?: number;
  to?: number;
  page: number;
  pageSize: number;
};

export function listCampaigns(db: AppDatabase, query: CampaignListQuery): { rows: CampaignRow[]; total: number } {
  const where: (SQL | undefined)[] = [];
  if (query.status === "test") where.push(eq(campaigns.test, true));
  else if (query.status) where.push(and(eq(campaigns.status, query.status), eq(campaigns.test, false)));
  if (query.search) where.push(like(campaigns.title, `%${query.search.replace(/[%_\\]/g, "")}%`));
  if (query.from !== undefined) where.push(gt(campaigns.createdAt, query.from - 1));
  if (query.to !== undefined) where.push(lte(campaigns.createdAt, query.to));
  const condition = where.length ? and(...where) : undefined;
  const total = db.select({ n: count() }).from(campaigns).where(condition).get()?.n ?? 0;
  const rows = db
    .select()
    .from(campaigns)
    .where(condition)
    .orderBy(desc(campaigns.createdAt))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .all();
  return { rows, total };
}

/** Scheduled campaigns whose time has not come yet, soonest first. */
export function listUpcomingScheduled(db: AppDatabase, now = Date.now()): CampaignRow[] {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.status, "scheduled"), eq(campaigns.test, false), gt(campaigns.scheduledFor, now)))
    .orderBy(asc(campaigns.scheduledFor))
    .all();
}
