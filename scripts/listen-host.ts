/**
 * Prints the address scripts/start.sh passes to `next start -H`, or nothing for Next's default.
 * The rule lives in lib/config/listen-host.ts (tested there); this is only its command line.
 * Run as `node --import tsx --conditions=react-server scripts/listen-host.ts` (react-server: the
 * configuration module is `server-only`).
 */
import { listenHost } from "@/lib/config/listen-host";

process.stdout.write(listenHost(process.env) ?? "");
