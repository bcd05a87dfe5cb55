import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUsageWhere } from "../../src/stores/build-usage-where.js";
import { migratePostgres } from "../../src/stores/migrate-postgres.js";
import { postgresMigrations } from "../../src/stores/postgres-migrations.js";
import { sqliteMigrations } from "../../src/stores/sqlite-migrations.js";
import type { UsageFilter } from "../../src/stores/store.js";
import { dropNamespace, POSTGRES_URL, uniqueNamespace } from "./shared-store-env.js";

/**
 * A page after a cursor must start at the cursor: the cursor is a range on
 * the index, not a filter over every row newer than it (which made page n
 * cost as much as pages 1 to n together). Checked on the plans the two SQL
 * engines choose for the stores' own WHERE clause.
 */
const CURSOR = { createdAt: 1_700_000_000_500, id: "gen-cursor" };
const FILTERS: UsageFilter[] = [{}, { keyId: "k1" }, { keyId: "k1", from: 1_700_000_000_000, to: 1_700_000_001_000 }, { from: 1_700_000_000_000 }, { model: "m" }, { keyId: "k1", model: "m" }];

describe("usage pages on SQLite: the cursor is a range on an index", () => {
  const db = new Database(":memory:");
  for (const sql of sqliteMigrations) db.exec(sql);
  const plan = (sql: string, params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(" | ");

  it.each(FILTERS)("filter %j", (filter) => {
    const params: unknown[] = [];
    const where = buildUsageWhere(filter, CURSOR, (v) => (params.push(v), "?"));
    const detail = plan(`SELECT record FROM usage ${where} ORDER BY created_at DESC, id DESC LIMIT ?`, [...params, 10]);
    expect(detail).toMatch(/^SEARCH usage USING INDEX usage_by_(time|key) \(.*\(created_at,id\)<\(\?,\?\)\)$/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it("a page of keys reads the key index from the cursor on, without a sort", () => {
    // The store's statement, as sqlite-store.ts issues it.
    const detail = plan("SELECT * FROM keys WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?", [CURSOR.createdAt, CURSOR.id, 10]);
    expect(detail).toBe("SEARCH keys USING INDEX keys_by_time ((created_at,id)>(?,?))");
  });
});

describe("usage pages and indexes on PostgreSQL", () => {
  const ns = uniqueNamespace("plans");
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
  beforeAll(async () => {
    await migratePostgres(pool, ns.schema);
    // Enough rows, with statistics, that the planner has a real choice to make.
    await pool.query(
      `INSERT INTO ${ns.schema}.usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record)
       SELECT 'gen-' || lpad(i::text, 8, '0'), CASE WHEN i % 3 = 0 THEN 'k1' ELSE 'k2' END, 'm', 'm', 1700000000000 + i / 2, 0, 0, true, '{}'
       FROM generate_series(0, 19999) i`,
    );
    await pool.query(`ANALYZE ${ns.schema}.usage`);
  });
  afterAll(async () => {
    await pool.end();
    await dropNamespace(ns);
  });

  it.each([{}, { keyId: "k1" }] as UsageFilter[])("filter %j", async (filter) => {
    const params: unknown[] = [];
    const where = buildUsageWhere(filter, { createdAt: 1_700_000_005_000, id: "gen-00010000" }, (v) => (params.push(v), `$${params.length}`));
    params.push(10);
    const { rows } = await pool.query(`EXPLAIN SELECT record FROM ${ns.schema}.usage ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
    const text = rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Index Cond: .*ROW\(created_at, id\) < ROW\(/);
    expect(text).not.toMatch(/Sort|Seq Scan/);
  });

  it("a version-3 schema gets ascending usage indexes (migration 4), its rows kept", async () => {
    const old = uniqueNamespace("v3");
    try {
      await pool.query(`CREATE SCHEMA ${old.schema}`);
      await pool.query(`CREATE TABLE ${old.schema}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const migrations = postgresMigrations(old.schema);
      for (let v = 1; v <= 3; v++) {
        await pool.query(migrations[v - 1]!);
        await pool.query(`INSERT INTO ${old.schema}.schema_migrations (version) VALUES ($1)`, [v]);
      }
      await pool.query(`INSERT INTO ${old.schema}.usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record) VALUES ('gen-1', 'k', 'm', 'm', 1, 0, 0, true, '{}')`);
      const definitions = async () =>
        (await pool.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'usage_by_%' ORDER BY indexname`, [old.schema])).rows.map((r: { indexdef: string }) => / DESC/.test(r.indexdef));
      expect(await definitions()).toEqual([true, true]);
      await migratePostgres(pool, old.schema);
      expect(await definitions()).toEqual([false, false]);
      expect((await pool.query(`SELECT COUNT(*)::int AS n FROM ${old.schema}.usage`)).rows[0]).toEqual({ n: 1 });
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${old.schema} CASCADE`);
    }
  });
});
