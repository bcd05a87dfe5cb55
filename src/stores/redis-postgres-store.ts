import type { Redis, RedisOptions } from "ioredis";
import type { Pool, PoolConfig } from "pg";
import { connectRedisPostgres } from "./connect-redis-postgres.js";
import { migratePostgres } from "./migrate-postgres.js";
import { createPostgresLedger } from "./postgres-ledger.js";
import { createRedisCounters } from "./redis-counters.js";
import type { Store } from "./store.js";

export interface RedisPostgresStoreOptions {
  /** A redis:// URL or ioredis options. */
  redis: string | RedisOptions;
  /** A postgres:// URL or pg Pool options. */
  postgres: string | PoolConfig;
  /** Prefix of every Redis key. Default "modelmux:". */
  prefix?: string;
  /** PostgreSQL schema holding the tables (created if missing). Default "modelmux". */
  schema?: string;
}

/**
 * The store for several gateway processes. Money and records live in
 * PostgreSQL (durable, row-locked per key: see postgres-ledger.ts); rate
 * windows, concurrency slots and route cooldowns live in Redis (fast,
 * atomic Lua scripts, expiring on their own). Connections open in init().
 */
export function createRedisPostgresStore(options: RedisPostgresStoreOptions): Store {
  const schema = options.schema ?? "modelmux";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`schema: "${schema}" must be a lower-case SQL identifier`);
  const prefix = options.prefix ?? "modelmux:";
  let connection: Promise<{ redis: Redis; pool: Pool }> | undefined;
  let redis: Redis | undefined;
  let pool: Pool | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("The Redis + PostgreSQL store is not initialised: call init() first");
    return value;
  };

  return {
    ...createPostgresLedger(() => need(pool), `"${schema}"`),
    ...createRedisCounters(() => need(redis), prefix),
    async init() {
      connection ??= connectRedisPostgres(options.redis, options.postgres).then(async (c) => {
        await migratePostgres(c.pool, `"${schema}"`);
        return c;
      });
      ({ redis, pool } = await connection);
    },
    async close() {
      if (!connection) return;
      const c = await connection.catch(() => undefined);
      connection = undefined;
      redis = undefined;
      pool = undefined;
      if (c) await Promise.allSettled([c.redis.quit(), c.pool.end()]);
    },
  };
}
