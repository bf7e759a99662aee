import net from "node:net";
import { plannedDeliveryOutcome } from "@/lib/sandbox/delivery";

/** A port nobody listens on right now (the OS picks it), for a server of a spec's own. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Numbers the sandbox will deliver and numbers it will report undelivered (its rule is deterministic). */
export function numbersWithOutcomes(delivered: number, undelivered: number, prefix = "+48503"): string[] {
  const good: string[] = [];
  const bad: string[] = [];
  for (let i = 0; good.length < delivered || bad.length < undelivered; i++) {
    const phone = `${prefix}${String(i).padStart(6, "0")}`;
    const outcome = plannedDeliveryOutcome(phone).status;
    if (outcome === "delivered" && good.length < delivered) good.push(phone);
    if (outcome === "undelivered" && bad.length < undelivered) bad.push(phone);
  }
  return [...good, ...bad];
}
