import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", express: "adapters/express/index.ts", koa: "adapters/koa/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  // import.meta.url in the CommonJS build too (the SQLite checkpointer resolves its driver with it).
  shims: true,
  splitting: false,
  external: ["modelmux", "express", "koa", "ioredis", "pg", "better-sqlite3"],
});
