import "server-only";
import { auditLog, getAppDb } from "@/lib/db";
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
  | "resume"
  | "reconcile"
  | "user_created"
  | "user_updated";

/**
 * Appends one line to the audit log. `detail` holds counts and ids only: never message bodies,
 * phone lists, passwords or tokens.
 */
export function audit(
  actor: Pick<SessionUser, "id" | "email"> | { id: null; email: string },
  action: AuditAction,
  target: string | null = null,
  detail: Record<string, string | number | boolean | null | string[]> | null = null,
): void {
  getAppDb().insert(auditLog).values({ at: Date.now(), userId: actor.id, actor: actor.email, action, target, detail }).run();
}
