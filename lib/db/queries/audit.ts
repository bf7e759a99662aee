import { and, count, desc, eq, like, type SQL } from "drizzle-orm";
import type { AppDatabase } from "../index";
import { auditLog } from "../app-schema";

export type AuditRow = typeof auditLog.$inferSelect;

export function listAudit(
  db: AppDatabase,
  query: { action?: string; actor?: string; page: number; pageSize: number },
): { rows: AuditRow[]; total: number } {
  const where: SQL[] = [];
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.actor) where.push(like(auditLog.actor, `%${query.actor.replace(/[%_\\]/g, "")}%`));
  const condition = where.length ? and(...where) : undefined;
  const total = db.select({ n: count() }).from(auditLog).where(condition).get()?.n ?? 0;
  const rows = db
    .select()
    .from(auditLog)
    .where(condition)
    .orderBy(desc(auditLog.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .all();
  return { rows, total };
}
