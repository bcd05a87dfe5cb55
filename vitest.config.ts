import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // The adapters import the public barrel by package name, as users do.
    alias: [
      { find: /^modelmux$/, replacement: here("./src/index.ts") },
      { find: /^modelmux\/express$/, replacement: here("./adapters/express/index.ts") },
      { find: /^modelmux\/koa$/, replacement: here("./adapters/koa/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // Store suites share the machine's Redis and PostgreSQL; files isolate by key prefix / schema.
    fileParallelism: true,
  },
});
