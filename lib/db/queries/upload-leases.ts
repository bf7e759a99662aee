import { and, eq, gt, lte, or } from "drizzle-orm";
import type { LeaseStore } from "@/lib/media/upload-sessions";
import { uploadLeases } from "../app-schema";
import type { AppDatabase } from "../index";

/**
 * The locks on uploads as leases in `upload_leases`, shared by every process on this database file
 * (lib/media/upload-sessions.ts createKeyedLocks). Taking one is one IMMEDIATE transaction, so two
 * processes can never both see a key free and both take it.
 */
export function uploadLeaseStore(db: AppDatabase): LeaseStore {
  return {
    acquire(key, owner, now, ttlMs) {
      return db.transaction(
        (tx) => {
          // Pruned as it goes: leases that ran out (their holder died, or stalled past its lease).
          // Released leases are deleted, so only these would otherwise stay.
          tx.delete(uploadLeases).where(lte(uploadLeases.expiresAt, now)).run();
          return tx.insert(uploadLeases).values({ key, owner, expiresAt: now + ttlMs }).onConflictDoNothing().run().changes === 1;
        },
        { behavior: "immediate" },
      );
    },
    renew(key, owner, now, ttlMs) {
      // Also takes the lease back when it ran out but nobody took it since (a stall, or another
      // process pruned the expired row): nobody else can have worked under it, so nothing clashed.
      return (
        db
          .insert(uploadLeases)
          .values({ key, owner, expiresAt: now + ttlMs })
          .onConflictDoUpdate({
            target: uploadLeases.key,
            set: { owner, expiresAt: now + ttlMs },
            setWhere: or(eq(uploadLeases.owner, owner), lte(uploadLeases.expiresAt, now)),
          })
          .run().changes === 1
      );
    },
    release(key, owner) {
      db.delete(uploadLeases).where(and(eq(uploadLeases.key, key), eq(uploadLeases.owner, owner))).run();
    },
    isHeld(key, now) {
      return db.select({ key: uploadLeases.key }).from(uploadLeases).where(and(eq(uploadLeases.key, key), gt(uploadLeases.expiresAt, now))).get() !== undefined;
    },
  };
}
