import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { buildUsageWhere } from "./build-usage-where.js";
import { clampPageLimit } from "./clamp-page-limit.js";
import { decodeCursor, encodeCursor } from "./encode-cursor.js";
import { invalidCursor } from "./invalid-cursor.js";
import { fromJson, rowToKey } from "./row-to-key.js";
import { sqliteMigrations } from "./sqlite-migrations.js";
import { ABANDONED_ERROR_CODE, type Store, type UsageRecord } from "./store.js";
import { windowStart } from "./window-start.js";

type Row = Record<string, unknown>;

/**
 * The embedded store (the default for `npm start`): one SQLite file in WAL
 * mode. Money moves inside IMMEDIATE transactions, which take the write lock
 * up front, so reserve/settle stay atomic even with several processes on
 * one file.
 */
export function createSqliteStore(path: string, options: { now?: () => number; busyTimeoutMs?: number } = {}): Store {
  const clock = options.now ?? Date.now;
  const db = new Database(path);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");

  const migrate = () => {
    const version = Number(db.pragma("user_version", { simple: true }));
    db.transaction(() => {
      sqliteMigrations.slice(version).forEach((sql) => db.exec(sql));
      db.pragma(`user_version = ${sqliteMigrations.length}`);
    }).immediate();
  };
  let migrated = false;
  const prepared = new Map<string, Database.Statement>();
  const sql = (text: string): Database.Statement => {
    let statement = prepared.get(text);
    if (!statement) prepared.set(text, (statement = db.prepare(text)));
    return statement;
  };
  const one = (text: string, ...params: unknown[]) => sql(text).get(...params) as Row | undefined;
  const all = (text: string, ...params: unknown[]) => sql(text).all(...params) as Row[];
  const run = (text: string, ...params: unknown[]) => sql(text).run(...params);

  const getKey = (id: string) => {
    const row = one("SELECT * FROM keys WHERE id = ?", id);
    return row && rowToKey(row);
  };
  const heldNano = (keyId: string, now: number) =>
    Number(one("SELECT COALESCE(SUM(amount_nano), 0) AS held FROM reservations WHERE key_id = ? AND expires_at > ?", keyId, now)?.held ?? 0);
  const writeUsage = (r: UsageRecord, settled: boolean) =>
    run(
      `INSERT INTO usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, requested_model = excluded.requested_model, model = excluded.model,
         created_at = excluded.created_at, cost_nano = excluded.cost_nano, total_tokens = excluded.total_tokens, settled = excluded.settled, record = excluded.record`,
      r.id, r.keyId, r.requestedModel, r.model, r.createdAt, r.costNano, r.totalTokens, settled ? 1 : 0, JSON.stringify(r),
    );

  const reserveTx = db.transaction((reservation: Parameters<Store["reserve"]>[0], now: number) => {
    let available: number | null = null;
    if (reservation.keyId !== null) {
      const key = getKey(reservation.keyId);
      if (key && key.balanceNano !== null) available = key.balanceNano - heldNano(key.id, now);
      else if (!key && reservation.amountNano > 0) available = 0;
      if (available !== null && available < reservation.amountNano) return { ok: false, availableNano: Math.max(0, available) };
    }
    run("INSERT OR REPLACE INTO reservations (id, key_id, amount_nano, expires_at, usage_id) VALUES (?, ?, ?, ?, ?)",
      reservation.id, reservation.keyId, reservation.amountNano, reservation.expiresAt, reservation.pending?.id ?? null);
    const pending = reservation.pending;
    if (pending && !one("SELECT 1 FROM usage WHERE id = ? AND settled = 1", pending.id)) writeUsage(pending, false);
    return { ok: true, availableNano: available === null ? null : available - reservation.amountNano };
  });

  const settleTx = db.transaction((reservationId: string | null, record: UsageRecord) => {
    if (reservationId !== null) {
      const reservation = one("SELECT usage_id FROM reservations WHERE id = ?", reservationId);
      run("DELETE FROM reservations WHERE id = ?", reservationId);
      const pendingId = reservation?.usage_id;
      if (typeof pendingId === "string" && pendingId !== record.id) run("DELETE FROM usage WHERE id = ? AND settled = 0", pendingId);
    }
    if (one("SELECT 1 FROM usage WHERE id = ? AND settled = 1", record.id)) return;
    if (record.keyId !== null && record.costNano > 0) {
      run("UPDATE keys SET balance_nano = balance_nano - MIN(?, MAX(balance_nano, 0)) WHERE id = ? AND balance_nano IS NOT NULL", record.costNano, record.keyId);
    }
    writeUsage(record, true);
  });

  const reconcileTx = db.transaction((now: number) => {
    const expired = all("SELECT id, usage_id FROM reservations WHERE expires_at <= ?", now);
    for (const row of expired) {
      run("DELETE FROM reservations WHERE id = ?", row.id);
      if (typeof row.usage_id === "string") {
        run("UPDATE usage SET record = json_set(record, '$.errorCode', ?) WHERE id = ? AND settled = 0", ABANDONED_ERROR_CODE, row.usage_id);
      }
    }
    return expired.length;
  });

  const creditTx = db.transaction((credit: Parameters<Store["credit"]>[0]) => {
    const key = getKey(credit.keyId);
    if (!key) throw new Error(`unknown key ${credit.keyId}`);
    const inserted = run("INSERT OR IGNORE INTO credits (id, key_id, amount_nano, reason, created_at) VALUES (?, ?, ?, ?, ?)",
      credit.id, credit.keyId, credit.amountNano, credit.reason, credit.createdAt);
    if (inserted.changes > 0) run("UPDATE keys SET balance_nano = balance_nano + ? WHERE id = ? AND balance_nano IS NOT NULL", credit.amountNano, credit.keyId);
    return { balanceNano: getKey(credit.keyId)?.balanceNano ?? null };
  });

  const windowTx = db.transaction((name: string, windowMs: number, amount: number, now: number) => {
    const start = windowStart(now, windowMs);
    run(`INSERT INTO windows (name, start, total) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET total = CASE WHEN start = excluded.start THEN total + excluded.total ELSE excluded.total END, start = excluded.start`,
      name, start, amount);
    return { total: Number(one("SELECT total FROM windows WHERE name = ?", name)?.total ?? 0), resetAt: start + windowMs };
  });

  const slotTx = db.transaction((name: string, max: number, leaseMs: number, now: number) => {
    run("DELETE FROM slots WHERE name = ? AND expires_at <= ?", name, now);
    if (Number(one("SELECT COUNT(*) AS n FROM slots WHERE name = ?", name)?.n ?? 0) >= max) return null;
    const lease = randomUUID();
    run("INSERT INTO slots (name, lease, expires_at) VALUES (?, ?, ?)", name, lease, now + leaseMs);
    return lease;
  });

  return {
    async init() {
      if (!migrated) migrate();
      migrated = true;
    },
    async close() {
      if (db.open) db.close();
    },

    async insertKey(k) {
      run("INSERT INTO keys (id, hash, masked, name, created_at, expires_at, revoked_at, balance_nano, limits, models, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.id, k.hash, k.masked, k.name, k.createdAt, k.expiresAt, k.revokedAt, k.balanceNano, JSON.stringify(k.limits), JSON.stringify(k.models), JSON.stringify(k.metadata));
    },
    async findKeyByHash(hash) {
      const row = one("SELECT * FROM keys WHERE hash = ?", hash);
      return row && rowToKey(row);
    },
    async getKey(id) {
      return getKey(id);
    },
    async listKeys(opts = {}) {
      const limit = clampPageLimit(opts.limit);
      const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
      if (opts.cursor !== undefined && !after) throw invalidCursor();
      const rows = after
        ? all("SELECT * FROM keys WHERE created_at > ? OR (created_at = ? AND id > ?) ORDER BY created_at, id LIMIT ?", after.createdAt, after.createdAt, after.id, limit + 1)
        : all("SELECT * FROM keys ORDER BY created_at, id LIMIT ?", limit + 1);
      const keys = rows.slice(0, limit).map(rowToKey);
      const last = keys[keys.length - 1];
      return { keys, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async updateKey(id, patch) {
      const columns: Record<string, unknown> = {
        name: patch.name,
        revoked_at: patch.revokedAt,
        expires_at: patch.expiresAt,
        limits: patch.limits && JSON.stringify(patch.limits),
        models: patch.models === undefined ? undefined : JSON.stringify(patch.models),
        metadata: patch.metadata && JSON.stringify(patch.metadata),
      };
      const set = Object.entries(columns).filter(([, v]) => v !== undefined);
      if (set.length > 0) run(`UPDATE keys SET ${set.map(([c]) => `${c} = ?`).join(", ")} WHERE id = ?`, ...set.map(([, v]) => v), id);
      return getKey(id);
    },

    async credit(credit) {
      return creditTx(credit);
    },
    async listCredits(keyId) {
      return all("SELECT * FROM credits WHERE key_id = ? ORDER BY created_at, id", keyId).map((r) => ({
        id: String(r.id),
        keyId: String(r.key_id),
        amountNano: Number(r.amount_nano),
        reason: String(r.reason),
        createdAt: Number(r.created_at),
      }));
    },

    async reserve(reservation, now) {
      return reserveTx.immediate(reservation, now);
    },
    async settle(reservationId, record) {
      settleTx.immediate(reservationId, record);
    },
    async reconcile(now) {
      return reconcileTx.immediate(now);
    },

    async getUsage(id) {
      const row = one("SELECT record FROM usage WHERE id = ?", id);
      return row && fromJson<UsageRecord>(row.record);
    },
    async listUsage(filter) {
      const limit = clampPageLimit(filter.limit);
      const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
      if (filter.cursor !== undefined && !after) throw invalidCursor();
      const params: unknown[] = [];
      const where = buildUsageWhere(filter, after, (v) => (params.push(v), "?"));
      const rows = db.prepare(`SELECT record FROM usage ${where} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...params, limit + 1) as Row[];
      const records = rows.slice(0, limit).map((r) => fromJson<UsageRecord>(r.record));
      const last = records[records.length - 1];
      return { records, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async sumUsage(keyId, since) {
      const row = one("SELECT COUNT(*) AS n, COALESCE(SUM(cost_nano), 0) AS cost, COALESCE(SUM(total_tokens), 0) AS tokens FROM usage WHERE key_id = ? AND created_at >= ?", keyId, since);
      return { requests: Number(row?.n ?? 0), costNano: Number(row?.cost ?? 0), tokens: Number(row?.tokens ?? 0) };
    },

    async incrementWindow(name, windowMs, amount, now) {
      return windowTx.immediate(name, windowMs, amount, now);
    },
    async acquireSlot(name, max, leaseMs, now) {
      return slotTx.immediate(name, max, leaseMs, now);
    },
    async releaseSlot(name, lease) {
      if (lease !== undefined) run("DELETE FROM slots WHERE name = ? AND lease = ?", name, lease);
      else run("DELETE FROM slots WHERE rowid = (SELECT rowid FROM slots WHERE name = ? ORDER BY expires_at LIMIT 1)", name);
    },

    async getState(name) {
      const row = one("SELECT value FROM state WHERE name = ? AND expires_at > ?", name, clock());
      return row === undefined ? undefined : String(row.value);
    },
    async setState(name, value, ttlMs) {
      const now = clock();
      run("INSERT INTO state (name, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at", name, value, now + ttlMs);
      // Keep the table small: cooldown entries are written often and expire fast.
      if (Math.random() < 0.01) run("DELETE FROM state WHERE expires_at <= ?", now);
    },
  };
}
