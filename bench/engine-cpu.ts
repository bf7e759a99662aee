/**
 * `node --import tsx --conditions=react-server bench/engine-cpu.ts`: the send engine alone, outside
 * Next, to see what one batch costs the event loop that sends it. The P1 campaign (100,000 numbers,
 * batch 200, 4 in flight) is stored and sent by lib/campaign/service.ts in this process, against the
 * bench sandbox in a process of its own (BENCH_ENGINE_LATENCY_MS, default 100). It prints the wall
 * time, this process's CPU time per batch (user + system: on shared cores, unlike wall time, it
 * hardly moves with other load) and the event loop's blocked time. A diagnostic for P1 (see
 * RESULTS.md), not a row of the table; `node --cpu-prof …` profiles it.
 */
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { createCampaignService } from "@/lib/campaign/service";
import { openAppDatabase } from "@/lib/db";
import { createGatewayClient } from "@/lib/serwersms/client";
import { cleanupAll, installCleanupHandlers, startSandboxProcess } from "./lib/processes";

const WORK = path.join(process.cwd(), "bench", ".work", "engine-cpu");
const TOKEN = "bench-gateway-token-0123456789";
const N = Number(process.env.BENCH_ENGINE_RECIPIENTS ?? 100_000);
const LATENCY = Number(process.env.BENCH_ENGINE_LATENCY_MS ?? 100);
const CAP = 4;
const BATCH = 200;
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
    const { campaignId } = service.start({ title: "engine-cpu", fileIds: [fileId], recipients: phones("503", N), scheduledFor: null, test: false, idempotencyKey: crypto.randomUUID(), batchSize: BATCH, concurrency: CAP }, actor);
    const planMs = performance.now() - t0;
    const cpuPlan = process.cpuUsage(cpu0);
    delay.enable();
    const gcAtPlan = gcMs;
    // Polled like the bench polls the summary (every 200 ms), not waitUntilIdle (which runs passes of its own).
    while (service.isRunning(campaignId)) await new Promise((resolve) => setTimeout(resolve, 200));
    const wallMs = performance.now() - t0;
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
