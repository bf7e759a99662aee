/**
 * One "instance" of the app for lib/server/rate-limit.test.ts (a real process, tests/support/processes.ts):
 * once every instance is ready, checks one key `tries` times as fast as it can and answers how many
 * requests it let through, and when its burst started and ended.
 *
 *   tests/support/rate-limit-process.ts <db> <key> <limit> <windowMs> <tries>
 */
import { openAppDatabase } from "@/lib/db";
import { createRateLimiter } from "@/lib/server/rate-limit";
import { answer, awaitGo } from "./processes";

const [file, key, limit, windowMs, tries] = process.argv.slice(2);
if (!file || !key || !limit || !windowMs || !tries) throw new Error("usage: <db> <key> <limit> <windowMs> <tries>");

const handle = openAppDatabase(file);
const limiter = createRateLimiter(Date.now, handle.db);
const rule = { limit: Number(limit), windowMs: Number(windowMs) };
await awaitGo();
const startedAt = Date.now();
let allowed = 0;
for (let i = 0; i < Number(tries); i++) if (limiter.check(key, rule).ok) allowed++;
const endedAt = Date.now();
handle.close();
answer({ allowed, startedAt, endedAt });
