import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";

export type SqliteHandle<TSchema extends Record<string, unknown>> = {
  sqlite: Database.Database;
  db: BetterSQLite3Database<TSchema>;
  close(): void;
};

/**
 * The app's migration folders, resolved from the project root: `next start`, vitest and the bench all
 * run there. (The sandbox keeps its own under lib/sandbox/migrations.)
 */
export function migrationsFolder(name: "app"): string {
  return path.join(process.cwd(), "lib", "db", "migrations", name);
}

/**
 * Opens (creating when missing) a SQLite file and applies the migrations in `folder`.
 * WAL lets the dashboard read while a send writes; busy_timeout covers the short moments when
 * two processes (app server + a test or bench process) write the same file.
 */
export function openSqlite<TSchema extends Record<string, unknown>>(
  filePath: string,
  schema: TSchema,
  folder: string,
): SqliteHandle<TSchema> {
  if (filePath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const sqlite = new Database(filePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  withMigrationLock(filePath, () => migrate(db, { migrationsFolder: folder }));
  return { sqlite, db, close: () => sqlite.close() };
}

/** How long a process waits for another one's migrations before it gives up (a large upgrade takes seconds). */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * Runs the migrations of `filePath` while holding an exclusive lock, so several processes starting
 * together on one data folder (instances, a worker, a test) apply them once. drizzle's migrator reads
 * the applied migrations before its own transaction begins, so without this two processes could both
 * apply the same one ("table already exists", or an ALTER TABLE twice). The lock is an EXCLUSIVE
 * transaction on a small side database: SQLite releases it if the holder dies, so a crash mid-migration
 * never leaves a stale lock. The main file cannot serve: the migrator opens its own transaction on it.
 */
export function withMigrationLock(filePath: string, run: () => void): void {
  if (filePath === ":memory:") return run();
  const lock = new Database(`${filePath}.migrate-lock`);
  try {
    lock.pragma(`busy_timeout = ${MIGRATION_LOCK_WAIT_MS}`);
    lock.exec("BEGIN EXCLUSIVE");
    try {
      run();
    } finally {
      lock.exec("COMMIT");
    }
  } finally {
    lock.close();
  }
}
