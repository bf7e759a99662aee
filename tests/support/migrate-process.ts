/**
 * One instance starting on a fresh data folder, for lib/db/app-db.test.ts (a real process,
 * tests/support/processes.ts): once every instance is ready, opens (and so migrates) the app database
 * and answers how many migrations the database records.
 *
 *   tests/support/migrate-process.ts <db>
 */
import { openAppDatabase } from "@/lib/db";
import { answer, awaitGo } from "./processes";

const [file] = process.argv.slice(2);
if (!file) throw new Error("usage: <db>");
await awaitGo();
const handle = openAppDatabase(file);
const { n } = handle.sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
handle.close();
answer({ migrations: n });
