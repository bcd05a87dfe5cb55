import type { Redis, RedisOptions } from "ioredis";
import type { Pool, PoolConfig } from "pg";

/**
 * ioredis and pg are optional peer dependencies: loaded only when a shared
 * store is actually used, so hosts on SQLite need neither installed.
 */
export async function connectRedisPostgres(redis: string | RedisOptions, postgres: string | PoolConfig): Promise<{ redis: Redis; pool: Pool }> {
  const [ioredis, pg] = await Promise.all([
    import("ioredis").catch((cause: unknown) => {
      throw new Error("The Redis + PostgreSQL store needs the 'ioredis' package: npm install ioredis", { cause });
    }),
    import("pg").catch((cause: unknown) => {
      throw new Error("The Redis + PostgreSQL store needs the 'pg' package: npm install pg", { cause });
    }),
  ]);
  const RedisClient = ioredis.Redis ?? ioredis.default;
  const PgPool = pg.default?.Pool ?? (pg as unknown as { Pool: typeof pg.default.Pool }).Pool;
  const client = typeof redis === "string" ? new RedisClient(redis, { lazyConnect: true, maxRetriesPerRequest: 3 }) : new RedisClient({ lazyConnect: true, maxRetriesPerRequest: 3, ...redis });
  await client.connect();
  const pool = new PgPool(typeof postgres === "string" ? { connectionString: postgres } : postgres);
  // An idle client dropped by the server must not crash the host process.
  pool.on("error", (error) => console.warn("[modelmux] postgres pool:", error.message));
  return { redis: client, pool };
}
