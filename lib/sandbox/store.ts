import path from "node:path";
import type { Statement } from "better-sqlite3";
import { and, asc, count, desc, eq, getTableName, gte, inArray, lt, ne, notInArray, sql, type SQL } from "drizzle-orm";
import { openSqlite, type SqliteHandle } from "@/lib/db/connection";
import { sandboxFiles, sandboxMessages, sandboxSchema, sandboxState } from "@/lib/sandbox/schema";
import { plannedDeliveryOutcome, type DeliveryTimeline } from "@/lib/sandbox/delivery";
import { GatewayApiError } from "@/lib/sandbox/errors";
import { newGatewayId } from "@/lib/sandbox/ids";

export type FileType = "mms" | "voice";
export type StoredFile = typeof sandboxFiles.$inferSelect;
export type StoredMessage = typeof sandboxMessages.$inferSelect;
export type ReportStatus = "saved" | "in_progress" | "sent" | "delivered" | "undelivered" | "unsent";
export type MessageWithStatus = StoredMessage & { reportStatus: ReportStatus };

export type AcceptedSend = {
  phones: string[];
  /** Numbers refused with 3103, as given: recorded as "unsent" (no credit), so reports show them. */
  unsentPhones: string[];
  title: string;
  fileIds: string[];
  text: string | null;
  queuedAt: number;
  scheduledFor: number | null;
  sendAt: number;
  requestId: string;
};

export type ReportFilters = {
  ids?: string[];
  phones?: string[];
  queuedFrom?: number;
  queuedBefore?: number;
  status?: string;
};

export type SandboxCounters = { mmsCredit: number; sendMmsCalls: number; sendMmsTestCalls: number; requests: number; clockOffsetMs: number };

const STATE_ROW_ID = 1;

/**
 * The sandbox's own migrations (drizzle.sandbox.config.ts), resolved from the project root like the
 * app's (lib/db/connection.ts). They moved here from lib/db/migrations/sandbox byte for byte: drizzle
 * records each applied migration by its journal time and SQL hash, so ledgers created before the move
 * are recognised as up to date (store.test.ts opens one).
 */
export const SANDBOX_MIGRATIONS_FOLDER = path.join(process.cwd(), "lib", "sandbox", "migrations");

/** Status a report shows at `now`, the same rule as the SQL in `statusAt` (kept side by side on purpose). */
export function reportStatusAt(message: Pick<StoredMessage, "status" | "sendAt" | "plannedStatus">, now: number, timeline: DeliveryTimeline): ReportStatus {
  if (message.status === "unsent") return "unsent";
  if (message.sendAt > now) return "saved";
  const elapsed = now - message.sendAt;
  if (elapsed < timeline.sentAfterMs) return "in_progress";
  if (elapsed < timeline.finalAfterMs) return "sent";
  return message.plannedStatus;
}

function statusAt(now: number, timeline: DeliveryTimeline): SQL<string> {
  const m = sandboxMessages;
  return sql<string>`CASE WHEN ${m.status} = 'unsent' THEN 'unsent' WHEN ${m.sendAt} > ${now} THEN 'saved' WHEN ${now} - ${m.sendAt} < ${timeline.sentAfterMs} THEN 'in_progress' WHEN ${now} - ${m.sendAt} < ${timeline.finalAfterMs} THEN 'sent' ELSE ${m.plannedStatus} END`;
}

const MESSAGE_INSERT_COLUMNS = [
  sandboxMessages.id,
  sandboxMessages.phone,
  sandboxMessages.title,
  sandboxMessages.fileIds,
  sandboxMessages.text,
  sandboxMessages.status,
  sandboxMessages.queuedAt,
  sandboxMessages.scheduledFor,
  sandboxMessages.sendAt,
  sandboxMessages.plannedStatus,
  sandboxMessages.plannedReason,
  sandboxMessages.sendCall,
  sandboxMessages.requestId,
] as const;

type HotStatements = {
  counters: Statement<[number], SandboxCounters>;
  countRequest: Statement<[number]>;
  insertMessage: Statement<unknown[]>;
};

/**
 * The statements every request or every recipient runs, prepared once on the raw connection: through the
 * query builder each call re-built and re-prepared its SQL, which cost more than the whole rest of a
 * small request, and 2–3× the insert time of a 100 000-recipient send. Column names come from the schema.
 */
function prepareHotStatements(handle: SqliteHandle<typeof sandboxSchema>): HotStatements {
  const state = sandboxState;
  const stateTable = getTableName(state);
  const messagesTable = getTableName(sandboxMessages);
  const quote = (name: string) => `"${name}"`;
  return {
    counters: handle.sqlite.prepare(
      `SELECT ${quote(state.mmsCredit.name)} AS mmsCredit, ${quote(state.sendMmsCalls.name)} AS sendMmsCalls, ` +
        `${quote(state.sendMmsTestCalls.name)} AS sendMmsTestCalls, ${quote(state.requests.name)} AS requests, ` +
        `${quote(state.clockOffsetMs.name)} AS clockOffsetMs FROM ${quote(stateTable)} WHERE ${quote(state.id.name)} = ?`,
    ),
    countRequest: handle.sqlite.prepare(
      `UPDATE ${quote(stateTable)} SET ${quote(state.requests.name)} = ${quote(state.requests.name)} + 1 WHERE ${quote(state.id.name)} = ?`,
    ),
    insertMessage: handle.sqlite.prepare(
      `INSERT INTO ${quote(messagesTable)} (${MESSAGE_INSERT_COLUMNS.map((column) => quote(column.name)).join(", ")}) ` +
        `VALUES (${MESSAGE_INSERT_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT(${quote(sandboxMessages.id.name)}) DO NOTHING`,
    ),
  };
}

/** The sandbox's SQLite ledger: uploaded files, accepted messages and the account counters. */
export class SandboxStore {
  private readonly handle: SqliteHandle<typeof sandboxSchema>;
  private readonly hot: HotStatements;

  constructor(
    dbPath: string,
    private readonly initialMmsCredit: number,
  ) {
    this.handle = openSqlite(dbPath, sandboxSchema, SANDBOX_MIGRATIONS_FOLDER);
    this.db.insert(sandboxState).values({ id: STATE_ROW_ID, mmsCredit: initialMmsCredit }).onConflictDoNothing().run();
    this.hot = prepareHotStatements(this.handle);
  }

  private get db() {
    return this.handle.db;
  }

  close(): void {
    this.handle.close();
  }

  counters(): SandboxCounters {
    const row = this.hot.counters.get(STATE_ROW_ID);
    if (!row) throw new Error("sandbox_state row is missing");
    return row;
  }

  countRequest(): void {
    this.hot.countRequest.run(STATE_ROW_ID);
  }

  countTestSend(): void {
    this.db
      .update(sandboxState)
      .set({ sendMmsTestCalls: sql`${sandboxState.sendMmsTestCalls} + 1` })
      .where(eq(sandboxState.id, STATE_ROW_ID))
      .run();
  }

  setMmsCredit(credit: number): void {
    this.db.update(sandboxState).set({ mmsCredit: credit }).where(eq(sandboxState.id, STATE_ROW_ID)).run();
  }

  advanceClock(ms: number): number {
    this.db
      .update(sandboxState)
      .set({ clockOffsetMs: sql`${sandboxState.clockOffsetMs} + ${ms}` })
      .where(eq(sandboxState.id, STATE_ROW_ID))
      .run();
    return this.counters().clockOffsetMs;
  }

  /** Empties everything and restores the starting credit. Stored file bytes are the caller's to remove. */
  reset(): void {
    this.db.transaction((tx) => {
      tx.delete(sandboxMessages).run();
      tx.delete(sandboxFiles).run();
      tx.update(sandboxState)
        .set({ mmsCredit: this.initialMmsCredit, sendMmsCalls: 0, sendMmsTestCalls: 0, requests: 0, clockOffsetMs: 0 })
        .where(eq(sandboxState.id, STATE_ROW_ID))
        .run();
    });
  }

  // ---- files ----

  /** Picks a fresh id and records the file; `commitBytes` moves the bytes into place inside the transaction. */
  insertFile(file: Omit<StoredFile, "seq" | "id">, commitBytes: (id: string) => void): StoredFile {
    return this.db.transaction(
      (tx) => {
        let id = newGatewayId();
        while (tx.select({ id: sandboxFiles.id }).from(sandboxFiles).where(eq(sandboxFiles.id, id)).get()) id = newGatewayId();
        const row = tx.insert(sandboxFiles).values({ ...file, id }).returning().get();
        commitBytes(id);
        return row;
      },
      { behavior: "immediate" },
    );
  }

  listFiles(type: FileType): StoredFile[] {
    return this.db
      .select()
      .from(sandboxFiles)
      .where(eq(sandboxFiles.type, type))
      .orderBy(desc(sandboxFiles.createdAt), desc(sandboxFiles.seq))
      .all();
  }

  getFile(id: string): StoredFile | undefined {
    return this.db.select().from(sandboxFiles).where(eq(sandboxFiles.id, id)).get();
  }

  filesByIds(ids: string[]): StoredFile[] {
    if (ids.length === 0) return [];
    return this.db.select().from(sandboxFiles).where(inArray(sandboxFiles.id, [...new Set(ids)])).all();
  }

  deleteFile(id: string): boolean {
    return this.db.delete(sandboxFiles).where(eq(sandboxFiles.id, id)).run().changes > 0;
  }

  // ---- messages ----

  /**
   * Records one accepted non-test send: credit check and decrement, the call number and every queued
   * recipient's row commit together or not at all, so a crash never leaves a half-recorded request.
   */
  acceptSend(send: AcceptedSend): { sendCall: number; ids: string[]; unsentIds: string[] } {
    return this.db.transaction(
      (tx) => {
        const state = this.counters();
        if (send.phones.length > state.mmsCredit) throw mmsLimitExhausted(send.phones.length, state.mmsCredit);
        const sendCall = state.sendMmsCalls + 1;
        const status = send.sendAt > send.queuedAt ? "saved" : "queued";
        const fileIds = JSON.stringify(send.fileIds);
        const insert = (rest: (id: string) => unknown[]): string => {
          // 40-bit ids collide now and then over a few hundred thousand rows: retry with a new one.
          for (;;) {
            const id = newGatewayId();
            if (this.hot.insertMessage.run(rest(id)).changes === 1) return id;
          }
        };
        const ids = send.phones.map((phone) => {
          const outcome = plannedDeliveryOutcome(phone);
          const plannedReason = outcome.status === "undelivered" ? outcome.reason : null;
          return insert((id) => [id, phone, send.title, fileIds, send.text, status, send.queuedAt, send.scheduledFor, send.sendAt, outcome.status, plannedReason, sendCall, send.requestId]);
        });
        // Never dispatched: sendAt is the acceptance time, so a later `date` cannot make them cancellable.
        const unsentIds = send.unsentPhones.map((phone) =>
          insert((id) => [id, phone, send.title, fileIds, send.text, "unsent", send.queuedAt, send.scheduledFor, send.queuedAt, "unsent", null, sendCall, send.requestId]),
        );
        tx.update(sandboxState)
          .set({ sendMmsCalls: sendCall, mmsCredit: state.mmsCredit - send.phones.length })
          .where(eq(sandboxState.id, STATE_ROW_ID))
          .run();
        return { sendCall, ids, unsentIds };
      },
      { behavior: "immediate" },
    );
  }

  report(filters: ReportFilters, now: number, timeline: DeliveryTimeline, page: { offset: number; limit: number; order: "asc" | "desc" }) {
    const m = sandboxMessages;
    const status = statusAt(now, timeline);
    const conditions: SQL[] = [ne(m.status, "deleted")];
    if (filters.ids) conditions.push(inArray(m.id, filters.ids));
    if (filters.phones) conditions.push(inArray(m.phone, filters.phones));
    if (filters.queuedFrom !== undefined) conditions.push(gte(m.queuedAt, filters.queuedFrom));
    if (filters.queuedBefore !== undefined) conditions.push(lt(m.queuedAt, filters.queuedBefore));
    if (filters.status !== undefined) conditions.push(sql`(${status}) = ${filters.status}`);
    const where = and(...conditions);
    const total = this.db.select({ total: count() }).from(m).where(where).get()?.total ?? 0;
    const direction = page.order === "desc" ? desc : asc;
    const rows = this.db
      .select()
      .from(m)
      .where(where)
      .orderBy(direction(m.queuedAt), direction(m.seq))
      .limit(page.limit)
      .offset(page.offset)
      .all();
    return { total, items: rows.map((row) => ({ ...row, reportStatus: reportStatusAt(row, now, timeline) })) };
  }

  getMessage(id: string): StoredMessage | undefined {
    return this.db.select().from(sandboxMessages).where(eq(sandboxMessages.id, id)).get();
  }

  /**
   * Cancels messages still waiting for their scheduled time and refunds their credit
   * (reference §3.4: only scheduled sends can be deleted). Each id counts once as correct or failed.
   */
  deleteScheduled(ids: string[], now: number): { correct: number; failed: number } {
    return this.db.transaction(
      (tx) => {
        let correct = 0;
        for (const id of ids) {
          const changed = tx
            .update(sandboxMessages)
            .set({ status: "deleted", deletedAt: now })
            .where(and(eq(sandboxMessages.id, id), notInArray(sandboxMessages.status, ["deleted", "unsent"]), sql`${sandboxMessages.sendAt} > ${now}`))
            .run().changes;
          correct += changed;
        }
        if (correct > 0) {
          tx.update(sandboxState)
            .set({ mmsCredit: sql`${sandboxState.mmsCredit} + ${correct}` })
            .where(eq(sandboxState.id, STATE_ROW_ID))
            .run();
        }
        return { correct, failed: ids.length - correct };
      },
      { behavior: "immediate" },
    );
  }

  /**
   * Messages whose report status changes in (after, upTo] on the sandbox clock: dispatched no earlier
   * than the last change could fall in that span. A scan of the ledger (send_at has no index, which
   * keeps large sends fast); only the push runs it, and only when a push URL is set.
   */
  messagesChangingBetween(after: number, upTo: number, timeline: DeliveryTimeline): StoredMessage[] {
    const m = sandboxMessages;
    return this.db
      .select()
      .from(m)
      .where(and(ne(m.status, "deleted"), sql`${m.sendAt} > ${after - timeline.finalAfterMs}`, sql`${m.sendAt} <= ${upTo}`))
      .orderBy(asc(m.sendAt), asc(m.seq))
      .all();
  }

  /** Every message accepted for sending (unsent numbers never were); cancelled ones only when asked. */
  ledger(includeDeleted: boolean): StoredMessage[] {
    return this.db
      .select()
      .from(sandboxMessages)
      .where(notInArray(sandboxMessages.status, includeDeleted ? ["unsent"] : ["deleted", "unsent"]))
      .orderBy(asc(sandboxMessages.seq))
      .all();
  }
}

export function mmsLimitExhausted(requested: number, remaining: number): GatewayApiError {
  return new GatewayApiError(3004, `MMS limit exhausted: ${requested} messages requested, ${remaining} left`);
}
