import "server-only";
import { type AppDatabase, auditLog, getAppDb } from "@/lib/db";
import type { SessionUser } from "@/lib/auth/roles";

export type AuditAction =
  | "sign_in"
  /** An account reached its hourly sign-in ceiling (lib/auth/sign-in-throttle.ts). Failed sign-ins themselves are aggregated there, not logged one by one. */
  | "sign_in_throttled"
  | "sign_out"
  | "upload"
  | "upload_reused"
  | "import_url"
  | "delete_media"
  | "test_preview"
  | "send"
  | "schedule"
  | "cancel"
  | "retry_batch"
  | "pause"
  | "resume"
  | "reconcile"
  | "user_created"
  | "user_updated"
  | "sessions_ended"
  | "other_sessions_ended"
  | "demo_accounts_disabled"
  | "audit_pruned";

type AuditActor = Pick<SessionUser, "id" | "email"> | { id: null; email: string };
type AuditDetail = Record<string, string | number | boolean | null | string[]> | null;

/** Who start-up and scheduled maintenance act as in the log. */
export const SYSTEM_ACTOR = { id: null, email: "system" } as const;

/**
 * Appends one line to the audit log. `detail` holds counts and ids only: never message bodies,
 * phone lists, passwords or tokens.
 */
export function audit(actor: AuditActor, action: AuditAction, target: string | null = null, detail: AuditDetail = null): void {
  appendAudit(getAppDb(), { actor, action, target, detail });
}

/** The same, into a given database at a given time (start-up and maintenance, which take their db and clock). */
export function appendAudit(
  db: Pick<AppDatabase, "insert">,
  entry: { actor: AuditActor; action: AuditAction; target?: string | null; detail?: AuditDetail; at?: number },
): void {
  const { actor, action, target = null, detail = null, at = Date.now() } = entry;
  db.insert(auditLog).values({ at, userId: actor.id, actor: actor.email, action, target, detail }).run();
}
