import { eq, inArray } from "drizzle-orm";
import type { AppDatabase } from "../index";
import { mediaFiles } from "../app-schema";

export type MediaFileRow = typeof mediaFiles.$inferSelect;

export function mediaRowsById(db: AppDatabase, ids?: string[]): Map<string, MediaFileRow> {
  const rows = ids ? (ids.length ? db.select().from(mediaFiles).where(inArray(mediaFiles.gatewayId, ids)).all() : []) : db.select().from(mediaFiles).all();
  return new Map(rows.map((row) => [row.gatewayId, row]));
}

export function mediaRowBySha(db: AppDatabase, sha256: string): MediaFileRow | undefined {
  return db.select().from(mediaFiles).where(eq(mediaFiles.sha256, sha256)).get();
}

export function insertMediaRow(db: AppDatabase, row: typeof mediaFiles.$inferInsert): void {
  db.insert(mediaFiles).values(row).onConflictDoUpdate({ target: mediaFiles.gatewayId, set: row }).run();
}

export function deleteMediaRow(db: AppDatabase, gatewayId: string): void {
  db.delete(mediaFiles).where(eq(mediaFiles.gatewayId, gatewayId)).run();
}
