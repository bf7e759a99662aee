type OnRequestError = typeof import("./lib/server/request-error-log").onRequestError;

export async function register() {
  // Only the Node.js server owns the database and the configuration.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, so requests carry their socket's address (sign-in throttling, lib/server/client-address.ts).
  const { installPeerAddressHeader } = await import("./lib/server/client-address");
  installPeerAddressHeader();
  // Before any request: holds Next's own stack for refused server-action bodies until onRequestError
  // can replace it with one line (lib/server/request-error-log.ts).
  await import("./lib/server/request-error-log");
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}

/**
 * One log line instead of a stack for server-action requests Next refuses before our code runs. Imported
 * lazily and only on the Node.js server: the module patches console and process, which the Edge
 * runtime (which also compiles this file) does not have.
 */
export async function onRequestError(...args: Parameters<OnRequestError>): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { onRequestError: logRequestError } = await import("./lib/server/request-error-log");
  await logRequestError(...args);
}
