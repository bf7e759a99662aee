import { defineConfig } from "drizzle-kit";

// The sandbox's ledger schema lives with the sandbox (issue 12 item 6); the migrations moved with it
// unchanged, so databases created before the move match the journal and are not migrated again.
export default defineConfig({
  dialect: "sqlite",
  schema: "./lib/sandbox/schema.ts",
  out: "./lib/sandbox/migrations",
});
