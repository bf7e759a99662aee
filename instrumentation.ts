// One log line instead of a stack for server-action requests Next refuses before our code runs (see the module).
export { onRequestError } from "./lib/server/request-error-log";

export async function register() {
  // Only the Node.js server owns the database and the configuration.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, so requests carry their socket's address (sign-in throttling, lib/server/client-address.ts).
  const { installPeerAddressHeader } = await import("./lib/server/client-address");
  installPeerAddressHeader();
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}
