import type { Pool } from "pg";
import { postgresMigrations } from "./postgres-migrations.js";

/**
 * Brings `schema` to the latest version. An advisory lock serialises
 * processes that start together, so each migration runs exactly once.
 */
export async function migratePostgres(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`modelmux:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${schema}.schema_migrations`);
    const current = Number((rows[0] as { v: unknown } | undefined)?.v ?? 0);
    const migrations = postgresMigrations(schema);
    for (let i = current; i < migrations.length; i++) {
      await client.query(migrations[i]!);
      await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [i + 1]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
