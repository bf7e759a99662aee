import "server-only";
import { eq, lt } from "drizzle-orm";
import { type AppDatabase, auditLog, auditPruneGuard, signInFailures } from "@/lib/db";
import { appendAudit, SYSTEM_ACTOR } from "./log";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The single row the pruning transaction holds (audit_prune_guard has no other use). */
const GUARD_ID = 1;

export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

export type PruneResult = { cutoff: number; auditDeleted: number; signInFailuresDeleted: number };

/**
 * The one path that deletes audit entries (AUDIT_RETENTION_DAYS, issue 11 item 7). The audit_log
 * delete trigger (migration 0005_security_hardening.sql) lets a row go only while a guard row exists
 * and the row is older than the guard's cutoff; UPDATE stays refused always (0001). The guard row is
 * inserted and removed inside one transaction, so no other statement ever sees it and a failure
 * leaves the log as it was. Aggregated sign-in failures older than the cutoff go in the same step:
 * they are audit data too. The pruning itself is logged (only when it deleted something).
 */
export function pruneAuditLog(db: AppDatabase, now: number, retentionDays: number): PruneResult {
  const cutoff = retentionCutoff(now, retentionDays);
  return db.transaction((tx) => {
    tx.insert(auditPruneGuard).values({ id: GUARD_ID, cutoff }).run();
    const auditDeleted = tx.delete(auditLog).where(lt(auditLog.at, cutoff)).run().changes;
    tx.delete(auditPruneGuard).where(eq(auditPruneGuard.id, GUARD_ID)).run();
    const signInFailuresDeleted = tx.delete(signInFailures).where(lt(signInFailures.lastAt, cutoff)).run().changes;
    if (auditDeleted > 0 || signInFailuresDeleted > 0) {
      appendAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "audit_pruned",
        at: now,
        detail: { deleted: auditDeleted, signInFailuresDeleted, retentionDays, cutoff: new Date(cutoff).toISOString() },
      });
    }
    return { cutoff, auditDeleted, signInFailuresDeleted };
  });
}
