export type { AttemptRecord, CreditRecord, KeyLimits, KeyRecord, Reservation, Store, UsageFilter, UsageRecord } from "./store.js";
export { ABANDONED_ERROR_CODE, PENDING_ERROR_CODE } from "./store.js";
export { createMemoryStore, createMemoryStore as memoryStore } from "./memory-store.js";
export { createSqliteStore, createSqliteStore as sqliteStore } from "./sqlite-store.js";
export { resolveStore } from "./resolve-store.js";
export { createRedisPostgresStore, createRedisPostgresStore as sharedStore, type RedisPostgresStoreOptions } from "./redis-postgres-store.js";
