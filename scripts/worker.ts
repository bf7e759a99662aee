/**
 * `npm run worker`: a worker-only process. It serves no page; it sends the campaigns stored in the
 * database (by any instance), renews its claims, looks up unknown batches and refreshes delivery
 * statuses, exactly like the workers inside `next start` (lib/campaign/service.ts). Run it beside a
 * web-only instance (WORKERS=0) or beside others: the cap on sends in flight holds over all of them.
 * It reads the same settings as the server (.env is not loaded: pass them in the environment).
 */
import { getCampaignService } from "@/lib/campaign";
import { ConfigError, getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { installGracefulStop } from "@/lib/server/graceful-stop";

try {
  const config = getConfig();
  getAppDb(); // opens and migrates before the first claim
  const service = getCampaignService();
  service.startWorkers();
  // The engine's timers never keep a process alive (inside next start the server does); here this one does.
  const alive = setInterval(() => {}, 60_000);
  installGracefulStop(async () => {
    await service.stopWorkers();
    clearInterval(alive);
  }, "the worker");
  console.log(
    `MMS worker ${service.workerId}: sending for ${config.gateway.accountLabel} from ${config.databasePath}; at most ${config.engine.maxInFlight} send request(s) in flight over every instance`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`MMS worker cannot start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
