/**
 * `node --import tsx --conditions=react-server bench/engine-cpu.ts`: the send engine alone, outside
 * Next, to see what one batch costs the event loop that sends it. The P1 campaign (100,000 numbers,
 * batch 200, 4 in flight) is stored and sent by lib/campaign/service.ts in this process, against the
 * bench sandbox in a process of its own (BENCH_ENGINE_LATENCY_MS, default 100). It prints the wall
 * time, this process's CPU time per batch (user + system: on shared cores, unlike wall time, it
 * hardly moves with other load) and the event loop's blocked time. A diagnostic for P1 (see
 * RESULTS.md), not a row of the table; `node --cpu-prof …` profiles it. BENCH_ENGINE_COUNT_SQL=1 also
 * counts the SQL statements prepared and run per batch (a count, so other load cannot move it);
 * BENCH_ENGINE_MICRO=1 then times the engine's single calls on the finished campaign's database
 * (CPU µs per call, median of 5 rounds of 500). BENCH_ENGINE_BARE=1 sends the same 500 batches with the
 * same gateway client from 4 plain loops, without the engine or any database: the floor the engine's
 * own work is measured against.
 */
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createCampaignService } from "@/lib/campaign/service";
import * as q from "@/lib/db/queries/campaigns";
import * as e from "@/lib/db/queries/engine";
import { openAppDatabase } from "@/lib/db";
import { createGatewayClient } from "@/lib/serwersms/client";
import { cleanupAll, installCleanupHandlers, startSandboxProcess } from "./lib/processes";

const WORK = path.join(process.cwd(), "bench", ".work", "engine-cpu");
const TOKEN = "bench-gateway-token-0123456789";
const N = Number(process.env.BENCH_ENGINE_RECIPIENTS ?? 100_000);
const LATENCY = Number(process.env.BENCH_ENGINE_LATENCY_MS ?? 100);
const CAP = 4;
const BATCH = 200;
/** Statements prepared and run, by their SQL (whitespace folded, first 90 characters). */
const sqlCounts = { counting: false, prepared: new Map<string, number>(), run: new Map<string, number>() };

function countSql(): void {
  const bump = (map: Map<string, number>, source: string) => {
    if (!sqlCounts.counting) return;
    const key = source.replace(/\s+/g, " ").slice(0, 90);
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  const proto = Database.prototype as unknown as { prepare(source: string): unknown };
  const prepare = proto.prepare;
  let statementProto: Record<string, (...args: unknown[]) => unknown> | null = null;
  proto.prepare = function (this: unknown, source: string) {
    bump(sqlCounts.prepared, source);
    const statement = prepare.call(this, source) as { source: string };
    if (!statementProto) {
      statementProto = Object.getPrototypeOf(statement) as Record<string, (...args: unknown[]) => unknown>;
      for (const method of ["run", "get", "all", "iterate"]) {
        const original = statementProto[method]!;
        statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
          bump(sqlCounts.run, this.source);
          return original.apply(this, args);
        };
      }
    }
    return statement;
  };
}
if (process.env.BENCH_ENGINE_COUNT_SQL === "1") countSql();

const TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async function main() {
  installCleanupHandlers();
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  const sandbox = await startSandboxProcess({
    dataDir: path.join(WORK, "gateway"),
    port: Number(process.env.BENCH_SANDBOX_PORT ?? 3605),
    token: TOKEN,
    latencyMs: LATENCY,
    logFile: path.join(WORK, "sandbox.log"),
  });
  try {
    const gateway = createGatewayClient({ baseUrl: sandbox.baseUrl, auth: { kind: "token", token: TOKEN } });
    const added = await fetch(`${sandbox.baseUrl}files/add`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "mms", file: TINY_PNG, name: "bench.png" }),
    });
    const { id: fileId } = (await added.json()) as { id: string };
    if (process.env.BENCH_ENGINE_BARE === "1") {
      const all = Array.from({ length: N }, (_, i) => `+48503${String(i).padStart(6, "0")}`);
      const batches = Math.ceil(N / BATCH);
      let next = 0;
      const lane = async (until = batches) => {
        for (let seq = next++; seq < until; seq = next++) {
          await gateway.messages.sendMms({ phones: all.slice(seq * BATCH, (seq + 1) * BATCH), title: "bare", fileIds: [fileId], test: until !== batches });
        }
      };
      // Not measured: 20 test-mode batches warm the connections and the code up, as P1's warm-up does.
      await Promise.all(Array.from({ length: CAP }, () => lane(20)));
      next = 0;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const timings0 = await sandbox.call({ type: "timings", reset: true });
      void timings0;
      await Promise.all(Array.from({ length: CAP }, () => lane()));
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const ideal = (batches * LATENCY) / CAP;
      const timings = await sandbox.call<Record<string, { count: number; totalMs: number }>>({ type: "timings", reset: true });
      const send = timings["messages/send_mms"];
      console.log(
        `bare loops (no engine, no database): ${batches} batches, ${CAP} in flight: ${(ms / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(2)} s, ratio ${(ms / ideal).toFixed(3)}); ` +
          `client CPU ${((cpu.user + cpu.system) / 1000 / batches).toFixed(2)} ms per batch; the gateway answered in ${send ? (send.totalMs / send.count).toFixed(1) : "?"} ms on average, a lane's cycle took ${((ms * CAP) / batches).toFixed(1)} ms`,
      );
      return;
    }
    const { db } = openAppDatabase(path.join(WORK, "app.db"));
    const service = createCampaignService({ db, gateway, engine: { maxInFlight: CAP, deliveryFirstCheckMs: 3_600_000 } });
    const actor = { id: null, email: "bench@example.com" };
    const phones = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `+48${prefix}${String(i).padStart(6, "0")}`);
    service.startWorkers();

    // Warm-up in test mode, as P1 does (loads and optimises the same code).
    const warm = service.start({ title: "warm-up", fileIds: [fileId], recipients: phones("502", 2000), scheduledFor: null, test: true, idempotencyKey: crypto.randomUUID(), batchSize: BATCH, concurrency: CAP }, actor);
    await service.waitUntilIdle(warm.campaignId);

    const delay = monitorEventLoopDelay({ resolution: 5 });
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    gc.observe({ entryTypes: ["gc"] });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    sqlCounts.counting = true;
    const { campaignId } = service.start({ title: "engine-cpu", fileIds: [fileId], recipients: phones("503", N), scheduledFor: null, test: false, idempotencyKey: crypto.randomUUID(), batchSize: BATCH, concurrency: CAP }, actor);
    const planMs = performance.now() - t0;
    const cpuPlan = process.cpuUsage(cpu0);
    delay.enable();
    const gcAtPlan = gcMs;
    // Polled like the bench polls the summary (every 200 ms), not waitUntilIdle (which runs passes of its own).
    while (service.isRunning(campaignId)) await new Promise((resolve) => setTimeout(resolve, 200));
    const wallMs = performance.now() - t0;
    sqlCounts.counting = false;
    const cpu = process.cpuUsage(cpu0);
    delay.disable();
    gc.disconnect();
    await service.stopWorkers();

    const batches = Math.ceil(N / BATCH);
    const sendCpuMs = (cpu.user + cpu.system - cpuPlan.user - cpuPlan.system) / 1000;
    const sendMs = wallMs - planMs;
    const ideal = (batches * LATENCY) / CAP;
    const ledger = await sandbox.call<{ entries: number; uniquePhones: number }>({ type: "ledger", title: "engine-cpu" });
    console.log(
      [
        `engine alone: ${N} numbers, ${batches} batches, ${CAP} in flight, gateway latency ${LATENCY} ms (sandbox in its own process)`,
        `plan stored in ${planMs.toFixed(0)} ms (CPU ${((cpuPlan.user + cpuPlan.system) / 1000).toFixed(0)} ms)`,
        `sending: ${(sendMs / 1000).toFixed(2)} s wall (ideal ${(ideal / 1000).toFixed(2)} s, ratio ${(wallMs / ideal).toFixed(3)} with the plan)`,
        `engine CPU while sending: ${(sendCpuMs / 1000).toFixed(2)} s = ${(sendCpuMs / batches).toFixed(2)} ms per batch (${((sendCpuMs / sendMs) * 100).toFixed(0)} % of one core); GC ${(gcMs - gcAtPlan).toFixed(0)} ms`,
        `event loop: mean delay ${(delay.mean / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
        `ledger: ${ledger.entries} entries, ${ledger.uniquePhones} distinct numbers`,
      ].join("\n"),
    );
    if (process.env.BENCH_ENGINE_MICRO === "1") {
      const at = Date.now();
      const owner = "micro";
      const calls: [string, () => unknown][] = [
        ["getCampaign", () => q.getCampaign(db, campaignId)],
        ["batchRecipients (200)", () => q.batchRecipients(db, campaignId, 1, ["pending", "failed", "queued"])],
        ["claimBatch (nothing claimable)", () => e.claimBatch(db, { owner, now: at, leaseMs: 60_000, maxInFlight: CAP, minIntervalMs: 0 })],
        ["expireLeases (none expired)", () => e.expireLeases(db, at)],
        ['campaignIdsWithStatus("sending")', () => e.campaignIdsWithStatus(db, "sending")],
        ["campaignIdsWithUnknownBatches", () => e.campaignIdsWithUnknownBatches(db)],
        ["dueDeliveryChecks", () => e.dueDeliveryChecks(db, at)],
        ["getBatches (500)", () => q.getBatches(db, campaignId)],
        ["resetRefusals", () => e.resetRefusals(db, campaignId)],
      ];
      // A batch's outcome as recordAnswer stores it (200 recipients queued under ids), alternating with
      // "unknown" so every row really changes and the status-count triggers fire as in a send.
      const batch = q.batchRecipients(db, campaignId, 2, ["queued"]);
      let flip = false;
      calls.push([
        "recordBatchOutcome (200 recipients)",
        () => {
          flip = !flip;
          q.recordBatchOutcome(
            db,
            campaignId,
            2,
            { status: "done", finishedAt: at, queued: batch.length, unsent: 0, errorKind: null, errorMessage: null },
            batch.map((r, i) => ({ position: r.position, status: flip ? "unknown" : "queued", messageId: `m${i}`, errorCode: null, errorMessage: null })),
          );
        },
      ]);
      console.log("\nCPU per call on this database (µs, median of 5 × 500 calls):");
      for (const [name, call] of calls) {
        const rounds: number[] = [];
        for (let round = 0; round < 5; round++) {
          const before = process.cpuUsage();
          for (let i = 0; i < (name.startsWith("recordBatchOutcome") ? 50 : 500); i++) call();
          const used = process.cpuUsage(before);
          rounds.push((used.user + used.system) / (name.startsWith("recordBatchOutcome") ? 50 : 500));
        }
        rounds.sort((a, b) => a - b);
        console.log(`${rounds[2]!.toFixed(0).padStart(7)} µs  ${name}`);
      }
    }
    if (process.env.BENCH_ENGINE_COUNT_SQL === "1") {
      // The plan's own statements (100,000 inserts) are counted too; per batch is what matters here.
      const perBatch = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([sql, n]) => `${(n / batches).toFixed(2).padStart(8)}  ${sql}`);
      const total = (map: Map<string, number>) => [...map.values()].reduce((sum, n) => sum + n, 0) / batches;
      console.log(`\nSQL per batch (plan included): ${total(sqlCounts.prepared).toFixed(1)} prepared, ${total(sqlCounts.run).toFixed(1)} run`);
      console.log("prepared per batch:\n" + perBatch(sqlCounts.prepared).slice(0, 30).join("\n"));
      console.log("run per batch:\n" + perBatch(sqlCounts.run).slice(0, 40).join("\n"));
    }
  } finally {
    await sandbox.stop();
    cleanupAll();
  }
}

main().catch((error: unknown) => {
  console.error("[engine-cpu] failed:", error instanceof Error ? (error.stack ?? error.message) : error);
  cleanupAll();
  process.exit(1);
});
