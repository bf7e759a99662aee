import "server-only";
import { getConfig } from "@/lib/config/env";
import { appSchema, type AppSchema } from "./app-schema";
import { migrationsFolder, openSqlite, type SqliteHandle } from "./connection";

export type AppDatabase = SqliteHandle<AppSchema>["db"];

// Route handlers and server actions are bundled separately by Next; a module-level variable would
// give each bundle its own connection, so the handle lives on globalThis.
const holder = globalThis as typeof globalThis & { __mmsAppDb?: SqliteHandle<AppSchema> };

/** Opens the app database on first use and applies pending migrations. */
export function getAppDb(): AppDatabase {
  holder.__mmsAppDb ??= openAppDatabase(getConfig().databasePath);
  return holder.__mmsAppDb.db;
}

export function openAppDatabase(filePath: string): SqliteHandle<AppSchema> {
  return openSqlite(filePath, appSchema, migrationsFolder("app"));
}

export * from "./app-schema";
