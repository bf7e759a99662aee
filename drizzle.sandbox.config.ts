import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./lib/db/sandbox-schema.ts",
  out: "./lib/db/migrations/sandbox",
});
