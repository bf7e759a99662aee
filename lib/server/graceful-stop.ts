import "server-only";

const holder = globalThis as typeof globalThis & { __mmsGracefulStop?: boolean };

/** How long a stopping process waits for its batches in flight to be recorded (a request is at most 30 s). */
const DRAIN_MS = 35_000;

/**
 * On SIGTERM/SIGINT: claim nothing more, let the batches in flight be answered and recorded, then
 * exit; the other instances (or this one's successor) go on with the rest. This is how a deploy
 * stops no campaign and leaves nothing unknown. Next's own handler exits at once, so `next start`
 * must run with NEXT_MANUAL_SIG_HANDLE=1 (scripts/start.sh, npm run serve) for this one to be used;
 * without it a stop leaves the batches in flight to their leases (looked up, never resent blindly).
 */
export function installGracefulStop(stopWorkers: () => Promise<void>, what: string): void {
  if (holder.__mmsGracefulStop) return;
  holder.__mmsGracefulStop = true;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`MMS dashboard: ${signal}: ${what} stops claiming batches and waits for those in flight`);
    const forced = setTimeout(() => {
      console.error(`MMS dashboard: batches still in flight after ${DRAIN_MS / 1000} s; stopping anyway (their leases run out and they are looked up)`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    }, DRAIN_MS);
    forced.unref();
    void stopWorkers()
      .catch((error: unknown) => console.error("MMS dashboard: stopping the workers failed:", error instanceof Error ? error.message : error))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

