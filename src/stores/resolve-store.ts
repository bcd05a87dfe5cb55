import { createMemoryStore } from "./memory-store.js";
import { createSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

/** The `store` option: undefined → memory, ":memory:" → in-memory SQLite, a path → SQLite file, an object → as is. */
export function resolveStore(option: string | Store | undefined): Store {
  if (option === undefined) return createMemoryStore();
  if (typeof option === "string") {
    if (option.trim() === "") throw new Error("store: empty path");
    return createSqliteStore(option);
  }
  return option;
}
