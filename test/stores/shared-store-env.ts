import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";

/** The machine's real servers (also in CI); override with MODELMUX_TEST_REDIS / MODELMUX_TEST_POSTGRES. */
export const REDIS_URL = process.env.MODELMUX_TEST_REDIS ?? "redis://127.0.0.1:6379";
export const POSTGRES_URL = process.env.MODELMUX_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema and key prefix no other test file uses, so files run in parallel. */
export function uniqueNamespace(label: string): { schema: string; prefix: string } {
  const tag = `${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
  return { schema: `mm_test_${tag}`.toLowerCase(), prefix: `mm_test:${tag}:` };
}

/** Drops the test schema and every Redis key under the prefix. */
export async function dropNamespace(ns: { schema: string; prefix: string }): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${ns.schema}" CASCADE`);
  } finally {
    await client.end();
  }
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${ns.prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
