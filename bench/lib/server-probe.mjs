/**
 * Loaded into the app's server (`node --import bench/lib/server-probe.mjs … next start`) when the
 * benchmark wants to see inside it (BENCH_PROBE=1): every 100 ms, the longest the event loop was
 * blocked (a timer's lateness), the time spent in garbage collection and the process's CPU time.
 * Plain JavaScript and no imports from the app: it runs before Next loads anything and must not
 * change what it measures. Lines of JSON are appended to BENCH_PROBE_FILE once a second.
 * SIGUSR2 starts a CPU profile (V8's sampling profiler, 0.5 ms) and the next SIGUSR2 writes it beside
 * that file as <name>-<n>.cpuprofile: the bench profiles exactly one campaign (BENCH_PROFILE=1).
 */
import fs from "node:fs";
import inspector from "node:inspector";
import { monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const WINDOW_MS = 100;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let gcMs = 0;
  let gcCount = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcCount++;
    }
  }).observe({ entryTypes: ["gc"] });
  let cpu = process.cpuUsage();
  let pending = [];
  const flush = () => {
    if (pending.length === 0) return;
    try {
      fs.appendFileSync(file, pending.map((sample) => JSON.stringify(sample)).join("\n") + "\n");
    } catch {
      // the bench's work dir is gone: nothing to report to
    }
    pending = [];
  };
  setInterval(() => {
    const now = process.cpuUsage();
    pending.push({
      at: performance.timeOrigin + performance.now(),
      // ns → ms; the histogram's max is the worst lateness of its 5 ms timer in this window.
      eldMaxMs: delay.count > 0 ? delay.max / 1e6 : 0,
      eldMeanMs: delay.count > 0 ? delay.mean / 1e6 : 0,
      gcMs,
      gcCount,
      cpuMs: (now.user - cpu.user + now.system - cpu.system) / 1000,
    });
    cpu = now;
    gcMs = 0;
    gcCount = 0;
    delay.reset();
    if (pending.length >= 1000 / WINDOW_MS) flush();
  }, WINDOW_MS).unref();
  process.on("exit", flush);

  let profiler = null;
  let profiles = 0;
  process.on("SIGUSR2", () => {
    if (!profiler) {
      profiler = new inspector.Session();
      profiler.connect();
      profiler.post("Profiler.enable");
      profiler.post("Profiler.setSamplingInterval", { interval: 500 });
      profiler.post("Profiler.start");
      return;
    }
    const session = profiler;
    profiler = null;
    session.post("Profiler.stop", (error, result) => {
      if (!error) fs.writeFileSync(`${file.replace(/\.ndjson$/, "")}-${++profiles}.cpuprofile`, JSON.stringify(result.profile));
      session.disconnect();
    });
  });
}
