/**
 * modelmux as the bench runs it: the full pipeline on. API keys on the
 * default SQLite store (a file, WAL), request validation, routing, usage and
 * cost accounting, and the usage log written for every request.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { createGateway, type Gateway } from "modelmux";
import { BENCH_MODEL, LONGSTREAM_MODEL, SLOWTAIL_MODEL, bulkSecret } from "../fixtures.js";
import type { ChildHooks } from "./serve-bench-child.js";

export interface BenchGatewayOptions {
  /** SQLite file for the store. */
  db: string;
  /** Extra catalogue entries beyond the bench models (cost-growth check). */
  extraModels?: number;
  /** Keys inserted in bulk with deterministic secrets (bulkSecret(i)). */
  bulkKeys?: number;
  /** The gateway's key cache size (`keyCache.max`); default the gateway's own (10,000). */
  keyCacheMax?: number;
}

const pricing = { prompt: "0.15", completion: "0.6" };
// Long enough that the 1 MB body of the growth check is served, not refused as too long.
const CONTEXT = 4_000_000;

/**
 * `create` is the build's own createGateway when the bench loads a build
 * from a directory (`bench:server-ab`); by default the package's.
 */
export async function createBenchGateway(upstreamBase: string, opts: BenchGatewayOptions, create: typeof createGateway = createGateway): Promise<{ gateway: Gateway; hooks: ChildHooks }> {
  const models = [
    { id: BENCH_MODEL, pricing, context_length: CONTEXT, routes: [{ provider: "up", model: "gpt-4o-mini" }] },
    { id: SLOWTAIL_MODEL, pricing, context_length: CONTEXT, routes: [{ provider: "up", model: "slowtail" }] },
    { id: LONGSTREAM_MODEL, pricing, context_length: CONTEXT, routes: [{ provider: "up", model: "longstream" }] },
  ];
  for (let i = 0; i < (opts.extraModels ?? 0); i++) {
    models.push({ id: `up/catalog-model-${i}`, pricing, context_length: CONTEXT, routes: [{ provider: "up", model: `catalog-model-${i}` }] });
  }
  const gateway = create({
    providers: { up: { type: "openai", baseURL: upstreamBase, apiKey: "x" } },
    models,
    store: opts.db,
    // Only when asked: an older build (bench:server-ab) refuses an option it does not know.
    ...(opts.keyCacheMax === undefined ? {} : { keyCache: { max: opts.keyCacheMax } }),
  });
  await gateway.ready();
  const { key } = await gateway.keys.create({ credits: 1000 });
  if (opts.bulkKeys) await insertBulkKeys(gateway, opts.db, opts.bulkKeys);

  const hooks: ChildHooks = {
    info: { key },
    extra: async () => {
      const db = new Database(opts.db, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(cost_nano), 0) AS cost FROM usage WHERE settled = 1").get() as { n: number; cost: number };
        return { usageRows: row.n, costNano: row.cost };
      } finally {
        db.close();
      }
    },
    close: () => gateway.close(),
  };
  return { gateway, hooks };
}

/**
 * A million keys through insertKey one by one would take minutes; rows go
 * straight into the store's table in one transaction instead. If the schema
 * moved, fall back to the Store contract (slower, still correct).
 */
async function insertBulkKeys(gateway: Gateway, path: string, count: number): Promise<void> {
  const started = Date.now();
  const hash = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
  const balanceNano = 1_000 * 1e9;
  try {
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    const insert = db.prepare(
      "INSERT INTO keys (id, hash, masked, name, created_at, expires_at, revoked_at, balance_nano, limits, models, metadata) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, '{}', 'null', '{}')",
    );
    const now = Date.now();
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const secret = bulkSecret(i);
        insert.run(`key_bulk${i}`, hash(secret), `mm_…${secret.slice(-4)}`, "bench bulk key", now, balanceNano);
      }
    })();
    db.close();
  } catch (error) {
    console.error(`[bench] direct key insert failed (${(error as Error).message}); falling back to store.insertKey`);
    for (let i = 0; i < count; i++) {
      const secret = bulkSecret(i);
      await gateway.store.insertKey({
        id: `key_bulk${i}`, hash: hash(secret), masked: `mm_…${secret.slice(-4)}`, name: "bench bulk key", createdAt: Date.now(),
        expiresAt: null, revokedAt: null, balanceNano, limits: {}, models: null, metadata: {},
      });
    }
  }
  console.error(`[bench] inserted ${count} keys in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
