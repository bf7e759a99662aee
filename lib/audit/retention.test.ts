import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, auditPruneGuard, signInFailures } from "@/lib/db";
import { tempAppDatabase } from "@/tests/support/app-db";
import { pruneAuditLog, retentionCutoff } from "./retention";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

let handle: ReturnType<typeof tempAppDatabase>;
beforeEach(() => {
  handle = tempAppDatabase();
});
afterEach(() => handle.dispose());

function addAudit(at: number, action = "sign_in") {
  handle.db.insert(auditLog).values({ at, actor: "a@example.com", action }).run();
}
const auditTimes = () => handle.db.select({ at: auditLog.at }).from(auditLog).all().map((r) => r.at).sort((a, b) => a - b);

describe("audit log retention", () => {
  it("the cutoff is the retention period before now", () => {
    expect(retentionCutoff(NOW, 400)).toBe(NOW - 400 * DAY);
  });

  it("deletes exactly the rows older than the cutoff, and the sign-in failure aggregates older than it", () => {
    const cutoff = NOW - 400 * DAY;
    for (const at of [cutoff - DAY, cutoff - 1, cutoff, cutoff + 1, NOW]) addAudit(at);
    for (const [address, lastAt] of [["10.0.0.1", cutoff - 1], ["10.0.0.2", cutoff + 1]] as const) {
      handle.db.insert(signInFailures).values({ address, accountKey: "*", windowStart: lastAt, attempts: 3, firstAt: lastAt, lastAt }).run();
    }

    const result = pruneAuditLog(handle.db, NOW, 400);

    expect(result).toMatchObject({ cutoff, auditDeleted: 2, signInFailuresDeleted: 1 });
    // The pruning itself is on the record: one new entry, newer than the cutoff.
    const pruned = handle.db.select().from(auditLog).all().filter((r) => r.action === "audit_pruned");
    expect(pruned).toHaveLength(1);
    expect(pruned[0]).toMatchObject({ at: NOW, actor: "system", detail: { deleted: 2, retentionDays: 400 } });
    expect(auditTimes()).toEqual([cutoff, cutoff + 1, NOW, NOW]);
    expect(handle.db.select({ address: signInFailures.address }).from(signInFailures).all()).toEqual([{ address: "10.0.0.2" }]);
    // The guard row lives only inside the pruning transaction.
    expect(handle.db.select().from(auditPruneGuard).all()).toEqual([]);
  });

  it("writes nothing when nothing is old enough", () => {
    addAudit(NOW - DAY);
    expect(pruneAuditLog(handle.db, NOW, 400)).toMatchObject({ auditDeleted: 0, signInFailuresDeleted: 0 });
    expect(auditTimes()).toEqual([NOW - DAY]);
  });

  it("keeps the log append-only outside the pruning path", () => {
    addAudit(NOW - 500 * DAY);
    addAudit(NOW);
    // UPDATE is refused always, even of an old row and even while a guard row exists.
    expect(() => handle.sqlite.prepare("update audit_log set actor = 'x'").run()).toThrow(/append-only/);
    // DELETE without the guard row is refused, old rows included.
    expect(() => handle.sqlite.prepare("delete from audit_log where at < ?").run(NOW - 400 * DAY)).toThrow(/append-only/);
    handle.sqlite.prepare("insert into audit_prune_guard (id, cutoff) values (1, ?)").run(NOW - 400 * DAY);
    expect(() => handle.sqlite.prepare("update audit_log set actor = 'x' where at < ?").run(NOW - 400 * DAY)).toThrow(/append-only/);
    // With a guard row, a row newer than its cutoff still cannot be deleted.
    expect(() => handle.sqlite.prepare("delete from audit_log where at = ?").run(NOW)).toThrow(/append-only/);
    handle.sqlite.prepare("delete from audit_prune_guard").run();
    expect(auditTimes()).toEqual([NOW - 500 * DAY, NOW]);
  });

  it("leaves nothing behind when the transaction fails", () => {
    addAudit(NOW - 500 * DAY);
    // A stray guard row (nothing should ever leave one) makes the insert fail: nothing is deleted.
    handle.sqlite.prepare("insert into audit_prune_guard (id, cutoff) values (1, 0)").run();
    expect(() => pruneAuditLog(handle.db, NOW, 400)).toThrow();
    expect(auditTimes()).toEqual([NOW - 500 * DAY]);
    expect(handle.db.select().from(auditPruneGuard).all()).toEqual([{ id: 1, cutoff: 0 }]);
  });
});
