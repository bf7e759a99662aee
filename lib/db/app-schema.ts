import { isNotNull } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { BATCH_STATUSES, CAMPAIGN_STATUSES, RECIPIENT_STATUSES } from "@/lib/campaign/lifecycle";

// Times are epoch milliseconds (UTC instants); the UI formats them in Europe/Warsaw.

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["viewer", "sender", "admin"] }).notNull(),
  createdAt: integer("created_at").notNull(),
  disabledAt: integer("disabled_at"),
  /**
   * Set only on the published sandbox demo accounts (README). In live mode start-up disables every
   * row marked so: matched by this flag, never by e-mail, so a real user who happens to use one of
   * those addresses is not touched and a renamed demo account is still caught.
   */
  isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
});

export const sessions = sqliteTable(
  "sessions",
  {
    /** sha256 of the cookie token: a leaked database does not yield usable session cookies. */
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    /** Absolute end of the session, however active it is. */
    expiresAt: integer("expires_at").notNull(),
    /** Last request seen with this session: an idle session ends before expiresAt. */
    lastSeenAt: integer("last_seen_at").notNull().default(0),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Append-only: no UPDATE is ever allowed, and a DELETE only of rows older than the retention cutoff
 * while the one pruning path holds `audit_prune_guard` (triggers in migrations 0001 and 0005).
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    userId: integer("user_id"),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_at_idx").on(t.at)],
);

/**
 * Written only by the audit retention path, inside the transaction that prunes: the delete trigger on
 * audit_log lets a row go only while a guard row exists and the row is older than its cutoff.
 */
export const auditPruneGuard = sqliteTable("audit_prune_guard", {
  id: integer("id").primaryKey(),
  cutoff: integer("cutoff").notNull(),
});

/**
 * Failed sign-ins, aggregated: one row per (address, account key, window) instead of one audit row per
 * attempt, so unauthenticated callers cannot grow the database without bound. `accountKey` is the
 * normalised e-mail of a known account, or "*" for every unknown e-mail from that address together.
 * Also the sign-in throttle's state: attempts are reserved here before the password is verified.
 */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    address: text("address").notNull(),
    accountKey: text("account_key").notNull(),
    windowStart: integer("window_start").notNull(),
    attempts: integer("attempts").notNull(),
    firstAt: integer("first_at").notNull(),
    lastAt: integer("last_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.address, t.accountKey, t.windowStart] }),
    index("sign_in_failures_account_idx").on(t.accountKey, t.windowStart),
    index("sign_in_failures_last_idx").on(t.lastAt),
  ],
);

/** Our copy of every file uploaded through the app, keyed by the gateway's file id. */
export const mediaFiles = sqliteTable(
  "media_files",
  {
    gatewayId: text("gateway_id").primaryKey(),
    sha256: text("sha256"),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    kind: text("kind").notNull(),
    size: integer("size").notNull(),
    hasBytes: integer("has_bytes", { mode: "boolean" }).notNull().default(false),
    hasThumbnail: integer("has_thumbnail", { mode: "boolean" }).notNull().default(false),
    /** First lines of a text file, kept so listing the library never reads files. */
    textSnippet: text("text_snippet"),
    source: text("source", { enum: ["upload", "url"] }).notNull(),
    sourceUrl: text("source_url"),
    uploadedBy: integer("uploaded_by"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("media_sha_idx").on(t.sha256)],
);

export const campaigns = sqliteTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    /**
     * sha256 of the request the key was first used with (null for campaigns stored before migration
     * 0005): the same key with another request, or from another user, is refused instead of answered
     * with this campaign.
     */
    requestHash: text("request_hash"),
    createdBy: integer("created_by"),
    createdByEmail: text("created_by_email").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
    title: text("title").notNull(),
    text: text("text"),
    fileIds: text("file_ids", { mode: "json" }).$type<string[]>().notNull(),
    test: integer("test", { mode: "boolean" }).notNull(),
    /** The instant the user picked, and the exact string sent to the gateway's `date`. */
    scheduledFor: integer("scheduled_for"),
    scheduleSent: text("schedule_sent"),
    /** lib/campaign/lifecycle.ts */
    status: text("status", { enum: CAMPAIGN_STATUSES }).notNull(),
    batchSize: integer("batch_size").notNull(),
    concurrency: integer("concurrency").notNull(),
    recipientCount: integer("recipient_count").notNull(),
    batchCount: integer("batch_count").notNull(),
    /** Why the campaign is paused (a person, or the refusal that paused it), the gateway code if any, and when. */
    pauseReason: text("pause_reason"),
    pauseCode: integer("pause_code"),
    pausedAt: integer("paused_at"),
    /** Batches refused one after another (reset by an answered batch): N in a row pause the campaign. */
    refusalsInRow: integer("refusals_in_row").notNull().default(0),
    /** A cancel was asked for while batches were in flight: nothing more is sent, the rest is cancelled once they are recorded. */
    cancelRequestedAt: integer("cancel_requested_at"),
    /**
     * The lease of the one process that runs a check of this campaign against the gateway (look-up
     * of unknown batches, delivery refresh, cancel): two instances never check the same campaign at once.
     */
    checkOwner: text("check_owner"),
    checkExpiresAt: integer("check_expires_at"),
    /** When the server asks the gateway for delivery statuses next (null: nothing pending), and the wait used last. */
    deliveryNextCheckAt: integer("delivery_next_check_at"),
    deliveryIntervalMs: integer("delivery_interval_ms"),
    /** When the engine last looked up this campaign's unknown batches by itself. */
    autoCheckedAt: integer("auto_checked_at"),
  },
  (t) => [
    uniqueIndex("campaigns_idem_idx").on(t.idempotencyKey),
    index("campaigns_created_idx").on(t.createdAt),
    // The engine's work lists: campaigns that are sending, and those with a delivery check due.
    index("campaigns_status_idx").on(t.status),
    index("campaigns_delivery_due_idx").on(t.deliveryNextCheckAt).where(isNotNull(t.deliveryNextCheckAt)),
  ],
);

export const campaignBatches = sqliteTable(
  "campaign_batches",
  {
    campaignId: text("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    /** lib/campaign/lifecycle.ts */
    status: text("status", { enum: BATCH_STATUSES }).notNull(),
    /**
     * The worker that claimed the batch and until when its claim holds. The worker renews it while its
     * request is in flight; a batch still "sending" after its lease ran out belonged to a process that
     * died, and becomes unknown (never resent before the gateway's reports are checked).
     */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at"),
    attempts: integer("attempts").notNull().default(0),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    errorKind: text("error_kind"),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
    queued: integer("queued").notNull().default(0),
    unsent: integer("unsent").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.seq] }),
    // Batches in flight (the global cap, the expired-lease sweep) and unknown ones (the automatic
    // look-up), found without reading every finished batch of every campaign.
    index("batches_status_idx").on(t.status, t.campaignId),
  ],
);

export const campaignRecipients = sqliteTable(
  "campaign_recipients",
  {
    campaignId: text("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    batchSeq: integer("batch_seq").notNull(),
    phone: text("phone").notNull(),
    /** pending | queued | unsent | failed | unknown | cancelled */
    status: text("status", { enum: RECIPIENT_STATUSES }).notNull(),
    messageId: text("message_id"),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
    deliveryStatus: text("delivery_status"),
    deliveryReason: text("delivery_reason"),
    deliveryCheckedAt: integer("delivery_checked_at"),
    deliveredAt: text("delivered_at"),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.position] }),
    index("recipients_batch_idx").on(t.campaignId, t.batchSeq),
    // No index on message_id: nothing looks recipients up by it, and its random keys made storing a
    // batch's answer 3.7× slower (200 scattered index writes per 200-number batch).
    index("recipients_status_idx").on(t.campaignId, t.status),
    // Partial: rows enter it only once a delivery report arrives, so storing a plan costs nothing
    // and counting the delivery statuses of a campaign without reports reads nothing.
    index("recipients_delivery_idx").on(t.campaignId, t.deliveryStatus).where(isNotNull(t.deliveryStatus)),
  ],
);

/**
 * How many of a campaign's recipients are in each status: the progress a sender watches every
 * second no longer counts 100,000 rows while the campaign's batches are being written. Status
 * changes and deletes are counted by triggers on campaign_recipients (migration 0004); the plan's
 * initial "pending" count is written by insertCampaignPlan, the only place recipients are inserted.
 */
export const campaignStatusCounts = sqliteTable(
  "campaign_status_counts",
  {
    campaignId: text("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.status] })],
);



/**
 * The processes whose workers send campaigns, each seen within its lease time (lib/campaign/engine.ts):
 * the cap on sends in flight is shared out among the live ones, so every instance takes part and a
 * freshly started one is not starved by one that always claims first.
 */
export const engineWorkers = sqliteTable("engine_workers", {
  id: text("id").primaryKey(),
  startedAt: integer("started_at").notNull(),
  seenAt: integer("seen_at").notNull(),
});

/**
 * Small settings the app learns at run time and must keep across restarts (and, later, share across
 * instances), e.g. the upload encoding that worked for a gateway URL (issue 12). Values are JSON.
 */
export const appSettings = sqliteTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Replies recipients sent back (pushed by the SerwerSMS panel or polled from messages/recived).
 * `dedupeKey` makes a repeated push or a second poll of the same reply change nothing: the gateway's
 * reply id when it gives one, else a hash of phone + text + receive time.
 */
export const inboundReplies = sqliteTable(
  "inbound_replies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    dedupeKey: text("dedupe_key").notNull(),
    source: text("source", { enum: ["push", "poll"] }).notNull(),
    phone: text("phone").notNull(),
    text: text("text").notNull(),
    /** When the gateway received it (epoch ms), as reported; storedAt is when we learned of it. */
    receivedAt: integer("received_at").notNull(),
    storedAt: integer("stored_at").notNull(),
    /** The id of our message it answers, when the gateway says so. */
    messageId: text("message_id"),
  },
  (t) => [uniqueIndex("inbound_replies_dedupe_idx").on(t.dedupeKey), index("inbound_replies_received_idx").on(t.receivedAt)],
);

/**
 * The action rate limits (lib/server/rate-limit.ts): one row per request let through, kept until its
 * window is over. In the database, not in memory, so that N instances on one data folder allow the
 * limit once, not N times. `expiresAt` (at + the rule's window) is what pruning reads.
 */
export const rateLimitHits = sqliteTable(
  "rate_limit_hits",
  {
    id: integer("id").primaryKey(),
    key: text("key").notNull(),
    at: integer("at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("rate_limit_hits_key_idx").on(t.key, t.at), index("rate_limit_hits_expires_idx").on(t.expiresAt)],
);

/**
 * Locks on upload sessions and upload contents (lib/media/upload-sessions.ts), held by whichever
 * process is working on one: chunks of one upload may reach different instances behind a load
 * balancer. A lease, not a plain lock: its holder renews it while it works, so the lock of a process
 * that died ends by itself `expiresAt` later.
 */
export const uploadLeases = sqliteTable(
  "upload_leases",
  {
    key: text("key").primaryKey(),
    owner: text("owner").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("upload_leases_expires_idx").on(t.expiresAt)],
);

export const appSchema = {
  users,
  sessions,
  auditLog,
  auditPruneGuard,
  signInFailures,
  mediaFiles,
  campaigns,
  campaignBatches,
  campaignRecipients,
  appSettings,
  engineWorkers,
  inboundReplies,
  rateLimitHits,
  uploadLeases,
};
export type AppSchema = typeof appSchema;
