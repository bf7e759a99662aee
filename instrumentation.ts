export async function register() {
  // Only the Node.js server owns the database and the configuration.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}
