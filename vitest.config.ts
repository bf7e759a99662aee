import { defineConfig } from "vitest/config";

const root = new URL("./", import.meta.url).pathname;

export default defineConfig({
  test: {
    // Explicit include: Playwright specs under tests/e2e must never be collected by vitest.
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
  resolve: {
    alias: {
      "@/": root,
      "server-only": `${root}tests/support/server-only-stub.ts`,
    },
  },
});
