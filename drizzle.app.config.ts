import { defineConfig } from "drizzle-kit";

export default defineConfig({ dialect: "sqlite", schema: "./lib/db/app-schema.ts", out: "./lib/db/migrations/app" });
