/*
 * The worker loop of one process: when to look for work, how many batches this process has in
 * flight, and the renewal of their leases. What the work is (claiming, sending, recording, checking)
 * lives in ./service.ts over database state (lib/db/queries/engine.ts), so a process that dies
 * loses nothing but the leases it held, and any other process goes on from the database.
 */

export type EngineSettings = {
  /** Whether this process sends at all (WORKERS=0: a web-only instance that only stores plans). */
  enabled: boolean;
  /** Batches in flight at once for the gateway account, over every process (GATEWAY_MAX_CONCURRENT_SENDS). */
  maxInFlight: number;
  /** Least time between two send requests over every process (from GATEWAY_MAX_REQUESTS_PER_SECOND; 0: none). */
  minIntervalMs: number;
  /**
   * How long a claim holds without renewal. Renewed every third of it while the request is in flight,
   * so only a process that stopped (or froze for this long) loses it; longer than the gateway client's
   * 30 s timeout is not needed, since renewal continues through the request.
   */
  leaseMs: number;
  /** How often an idle process looks for work another process stored (new campaigns, expired leases, due checks). */
  pollMs: number;
  /** Refused batches in a row that pause a campaign (AUTO_PAUSE_AFTER_REFUSALS). */
  autoPauseAfterRefusals: number;
  /** The first wait before the server asks for delivery statuses, doubled after each check. */
  deliveryFirstCheckMs: number;
  /** Whether the server polls messages/reports at all (DELIVERY_POLLING; off when push reports feed it). */
  deliveryPolling: boolean;
  /** After an automatic look-up that could not settle (the gateway did not answer): wait this long before the next. */
  autoCheckRetryMs: number;
};

export const ENGINE_DEFAULTS: EngineSettings = {
  enabled: true,
  maxInFlight: 4,
  minIntervalMs: 0,
  leaseMs: 60_000,
  pollMs: 500,
  autoPauseAfterRefusals: 5,
  deliveryFirstCheckMs: 30_000,
  deliveryPolling: true,
  autoCheckRetryMs: 60_000,
};

export type WorkerLoop = {
  /** Runs a pass soon (after a plan was stored, a batch finished, a person resumed). */
  wake(): void;
  /** Looks for work every pollMs from now on, until stop(). */
  startPolling(): void;
  /** Stops polling; resolves once this process has nothing in flight. */
  stop(): Promise<void>;
  /** Resolves after the next complete pass. */
  pass(): Promise<void>;
};

/**
 * Runs `runPass` one at a time: a wake during a pass runs another right after it, so no finished batch
 * or stored plan waits for the poll. Errors of a pass are logged and the loop goes on.
 */
export function createWorkerLoop(runPass: () => Promise<void>, settings: Pick<EngineSettings, "pollMs">, idle: () => Promise<void>): WorkerLoop {
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let polling = false;
  let waiters: (() => void)[] = [];

  function schedulePoll() {
    if (!polling || timer) return;
    timer = setTimeout(() => {
      timer = null;
      wake();
    }, settings.pollMs);
    timer.unref();
  }

  function wake(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        // Only those waiting before this pass began are answered by it.
        const done = waiters;
        waiters = [];
        try {
          await runPass();
        } catch (error) {
          console.error("[send engine] a pass failed; the next one retries:", error instanceof Error ? error.message : error);
        }
        for (const resolve of done) resolve();
      } while (again);
    })().finally(() => {
      running = null;
      schedulePoll();
    });
  }

  return {
    wake,
    startPolling() {
      polling = true;
      wake();
    },
    async stop() {
      polling = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      await idle();
    },
    pass() {
      const done = new Promise<void>((resolve) => waiters.push(resolve));
      wake();
      return done;
    },
  };
}
