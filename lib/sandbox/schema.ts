import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/*
 * Ledger of the embedded SerwerSMS sandbox gateway. Loaded directly by drizzle-kit, so no `@/` imports here.
 * Every time is an integer of epoch milliseconds on the sandbox clock (which tests can move forward);
 * the gateway's `YYYY-MM-DD HH:MM:SS` strings are produced only when answering.
 */

export const sandboxFiles = sqliteTable(
  "sandbox_files",
  {
    // Insertion order breaks ties between files uploaded in the same millisecond ("newest first").
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull(),
    type: text("type", { enum: ["mms", "voice"] }).notNull(),
    name: text("name").notNull(),
    size: integer("size").notNull(),
    contentType: text("content_type").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("sandbox_files_id_unique").on(table.id), index("sandbox_files_type_idx").on(table.type, table.createdAt)],
);

export const sandboxMessages = sqliteTable(
  "sandbox_messages",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull(),
    phone: text("phone").notNull(),
    title: text("title").notNull(),
    /** JSON array of file ids, in the order the request gave them. */
    fileIds: text("file_ids").notNull(),
    text: text("text"),
    /**
     * Status at acceptance ("queued" or "saved" for a future `date`), "deleted" once cancelled, or
     * "unsent" for a number refused with 3103 (kept so reports show it, never sent nor charged).
     * The enum is TypeScript-only: SQLite stores plain text, so adding a value needs no migration.
     */
    status: text("status", { enum: ["queued", "saved", "deleted", "unsent"] }).notNull(),
    queuedAt: integer("queued_at").notNull(),
    /** The `date` the request asked for, when it gave one. */
    scheduledFor: integer("scheduled_for"),
    /** When dispatch starts: the scheduled time if it was in the future at acceptance, else queuedAt. */
    sendAt: integer("send_at").notNull(),
    /** Final delivery outcome, fixed at acceptance so report queries can derive status in SQL ("unsent" rows: "unsent"). */
    plannedStatus: text("planned_status", { enum: ["delivered", "undelivered", "unsent"] }).notNull(),
    plannedReason: text("planned_reason"),
    sendCall: integer("send_call").notNull(),
    requestId: text("request_id").notNull(),
    deletedAt: integer("deleted_at"),
  },
  // No index on phone: it doubled the insert cost of large sends, and the rare report filtered by phone
  // can afford a scan of the sandbox's ledger.
  (table) => [
    uniqueIndex("sandbox_messages_id_unique").on(table.id),
    index("sandbox_messages_queued_at_idx").on(table.queuedAt),
  ],
);

/** A single row (id = 1) of counters and account state that must survive a restart. */
export const sandboxState = sqliteTable("sandbox_state", {
  id: integer("id").primaryKey(),
  mmsCredit: integer("mms_credit").notNull(),
  sendMmsCalls: integer("send_mms_calls").notNull().default(0),
  sendMmsTestCalls: integer("send_mms_test_calls").notNull().default(0),
  requests: integer("requests").notNull().default(0),
  /** Added to the sandbox clock by the admin endpoint, to walk delivery statuses forward in tests. */
  clockOffsetMs: integer("clock_offset_ms").notNull().default(0),
});

export const sandboxSchema = { sandboxFiles, sandboxMessages, sandboxState };
