import type { Pool, PoolClient } from "pg";
import { buildUsageWhere } from "./build-usage-where.js";
import { clampPageLimit } from "./clamp-page-limit.js";
import { decodeCursor, encodeCursor } from "./encode-cursor.js";
import { encodeUsageRecord } from "./encode-usage-record.js";
import { invalidCursor } from "./invalid-cursor.js";
import { fromJson, rowToKey } from "./row-to-key.js";
import { ABANDONED_ERROR_CODE, type Store, type UsageRecord } from "./store.js";

export type LedgerPart = Omit<Store, "init" | "close" | "incrementWindow" | "acquireSlot" | "releaseSlot" | "getState" | "setState">;
type Row = Record<string, unknown>;

/**
 * Keys, credits, balance holds and the usage log in PostgreSQL. A reserve
 * locks the key row (SELECT ... FOR UPDATE) and sums the live holds before
 * adding its own, so concurrent reserves from any number of processes are
 * serialised per key; settle marks the usage row settled with a conditional
 * upsert before charging, so a second settle charges nothing.
 *
 * Round trips per request: reserve is one transaction (BEGIN, lock the key,
 * sum the holds, insert the hold with its pending record, COMMIT; a caller
 * without a key is a single INSERT); settle is ONE statement (drop the hold,
 * upsert the record if not settled yet, charge only if it was), atomic on
 * its own. The pending record rides on the reservation row and reaches the
 * usage table once: at settle, or at reconcile as "abandoned".
 */
export function createPostgresLedger(getPool: () => Pool, s: string): LedgerPart {
  const query = async (text: string, params: unknown[] = []) => (await getPool().query(text, params)).rows as Row[];
  const tx = async <T>(work: (c: PoolClient) => Promise<T>): Promise<T> => {
    const client = await getPool().connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  const upsertUsage = (settled: boolean, onlyIfUnsettled: boolean) =>
    `INSERT INTO ${s}.usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record)
     VALUES ($1, $2, $3, $4, $5, $6, $7, ${settled}, $8)
     ON CONFLICT (id) DO UPDATE SET key_id = EXCLUDED.key_id, requested_model = EXCLUDED.requested_model, model = EXCLUDED.model,
       created_at = EXCLUDED.created_at, cost_nano = EXCLUDED.cost_nano, total_tokens = EXCLUDED.total_tokens, settled = EXCLUDED.settled, record = EXCLUDED.record
     ${onlyIfUnsettled ? `WHERE ${s}.usage.settled = false` : ""} RETURNING id`;
  const insertHold = `INSERT INTO ${s}.reservations (id, key_id, amount_nano, expires_at, usage_id, pending) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET key_id = EXCLUDED.key_id, amount_nano = EXCLUDED.amount_nano, expires_at = EXCLUDED.expires_at,
       usage_id = EXCLUDED.usage_id, pending = EXCLUDED.pending`;
  // Settle as one atomic statement. The record is upserted only over an unsettled row (a second settle
  // finds it settled: nothing written, nothing charged; a concurrent one waits on the row and then sees
  // it settled); the charge runs only when this statement wrote it, re-read on the latest key row.
  // `pending_elsewhere` drops an unsettled record kept under another id (databases from before migration 2).
  const settleStatement = `WITH dropped AS (DELETE FROM ${s}.reservations WHERE id = $1 RETURNING usage_id),
     pending_elsewhere AS (DELETE FROM ${s}.usage WHERE id = (SELECT usage_id FROM dropped) AND id <> $2 AND settled = false),
     won AS (INSERT INTO ${s}.usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record)
       VALUES ($2, $3, $4, $5, $6, $7, $8, true, $9)
       ON CONFLICT (id) DO UPDATE SET key_id = EXCLUDED.key_id, requested_model = EXCLUDED.requested_model, model = EXCLUDED.model,
         created_at = EXCLUDED.created_at, cost_nano = EXCLUDED.cost_nano, total_tokens = EXCLUDED.total_tokens, settled = true, record = EXCLUDED.record
       WHERE ${s}.usage.settled = false RETURNING id)
     UPDATE ${s}.keys SET balance_nano = balance_nano - LEAST($7::bigint, GREATEST(balance_nano, 0))
     WHERE id = $3 AND balance_nano IS NOT NULL AND $7::bigint > 0 AND EXISTS (SELECT 1 FROM won)`;
  const usageParams = (r: UsageRecord) => [r.id, r.keyId, r.requestedModel, r.model, r.createdAt, r.costNano, r.totalTokens, JSON.stringify(r)];

  return {
    async insertKey(k) {
      await query(
        `INSERT INTO ${s}.keys (id, hash, masked, name, created_at, expires_at, revoked_at, balance_nano, limits, models, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [k.id, k.hash, k.masked, k.name, k.createdAt, k.expiresAt, k.revokedAt, k.balanceNano, JSON.stringify(k.limits), JSON.stringify(k.models), JSON.stringify(k.metadata)],
      );
    },
    async findKeyByHash(hash) {
      const [row] = await query(`SELECT * FROM ${s}.keys WHERE hash = $1`, [hash]);
      return row && rowToKey(row);
    },
    async getKey(id) {
      const [row] = await query(`SELECT * FROM ${s}.keys WHERE id = $1`, [id]);
      return row && rowToKey(row);
    },
    async listKeys(opts = {}) {
      const limit = clampPageLimit(opts.limit);
      const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
      if (opts.cursor !== undefined && !after) throw invalidCursor();
      const rows = after
        ? await query(`SELECT * FROM ${s}.keys WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3`, [after.createdAt, after.id, limit + 1])
        : await query(`SELECT * FROM ${s}.keys ORDER BY created_at, id LIMIT $1`, [limit + 1]);
      const keys = rows.slice(0, limit).map(rowToKey);
      const last = keys[keys.length - 1];
      return { keys, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async updateKey(id, patch) {
      const columns: Array<[string, unknown]> = [
        ["name", patch.name],
        ["revoked_at", patch.revokedAt],
        ["expires_at", patch.expiresAt],
        ["limits", patch.limits && JSON.stringify(patch.limits)],
        ["models", patch.models === undefined ? undefined : JSON.stringify(patch.models)],
        ["metadata", patch.metadata && JSON.stringify(patch.metadata)],
      ];
      const set = columns.filter(([, v]) => v !== undefined);
      const assignments = set.map(([c], i) => `${c} = $${i + 2}`).join(", ");
      const [row] = set.length
        ? await query(`UPDATE ${s}.keys SET ${assignments} WHERE id = $1 RETURNING *`, [id, ...set.map(([, v]) => v)])
        : await query(`SELECT * FROM ${s}.keys WHERE id = $1`, [id]);
      return row && rowToKey(row);
    },

    async credit(credit) {
      return tx(async (c) => {
        const key = (await c.query(`SELECT balance_nano FROM ${s}.keys WHERE id = $1 FOR UPDATE`, [credit.keyId])).rows[0] as Row | undefined;
        if (!key) throw new Error(`unknown key ${credit.keyId}`);
        const inserted = await c.query(`INSERT INTO ${s}.credits (id, key_id, amount_nano, reason, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, [
          credit.id, credit.keyId, credit.amountNano, credit.reason, credit.createdAt,
        ]);
        if (!inserted.rowCount) return { balanceNano: key.balance_nano === null ? null : Number(key.balance_nano) };
        const [row] = (await c.query(`UPDATE ${s}.keys SET balance_nano = balance_nano + $2 WHERE id = $1 RETURNING balance_nano`, [credit.keyId, credit.amountNano])).rows as Row[];
        return { balanceNano: row?.balance_nano == null ? null : Number(row.balance_nano) };
      });
    },
    async listCredits(keyId) {
      const rows = await query(`SELECT * FROM ${s}.credits WHERE key_id = $1 ORDER BY created_at, id`, [keyId]);
      return rows.map((r) => ({ id: String(r.id), keyId: String(r.key_id), amountNano: Number(r.amount_nano), reason: String(r.reason), createdAt: Number(r.created_at) }));
    },

    async reserve(reservation, now) {
      const hold = [reservation.id, reservation.keyId, reservation.amountNano, reservation.expiresAt, reservation.pending?.id ?? null, reservation.pending ? encodeUsageRecord(reservation.pending) : null];
      if (reservation.keyId === null) {
        // Nothing to check and nothing held: one statement is its own transaction.
        await query(insertHold, hold);
        return { ok: true, availableNano: null };
      }
      const keyId = reservation.keyId;
      return tx(async (c) => {
        let available: number | null = null;
        const key = (await c.query(`SELECT balance_nano FROM ${s}.keys WHERE id = $1 FOR UPDATE`, [keyId])).rows[0] as Row | undefined;
        if (key && key.balance_nano !== null) {
          // A statement of its own, after the lock: in READ COMMITTED it sees every hold committed before the lock was granted.
          const held = (await c.query(`SELECT COALESCE(SUM(amount_nano), 0) AS held FROM ${s}.reservations WHERE key_id = $1 AND expires_at > $2`, [keyId, now])).rows[0] as Row;
          available = Number(key.balance_nano) - Number(held.held);
        } else if (!key && reservation.amountNano > 0) available = 0;
        if (available !== null && available < reservation.amountNano) return { ok: false, availableNano: Math.max(0, available) };
        await c.query(insertHold, hold);
        return { ok: true, availableNano: available === null ? null : available - reservation.amountNano };
      });
    },
    async settle(reservationId, r) {
      await query(settleStatement, [reservationId, r.id, r.keyId, r.requestedModel, r.model, r.createdAt, r.costNano, r.totalTokens, encodeUsageRecord(r)]);
    },
    async reconcile(now) {
      return tx(async (c) => {
        const dropped = (await c.query(`DELETE FROM ${s}.reservations WHERE expires_at <= $1 RETURNING usage_id, pending`, [now])).rows as Row[];
        const legacy: string[] = [];
        for (const row of dropped) {
          if (typeof row.pending === "string") {
            const record: UsageRecord = { ...fromJson<UsageRecord>(row.pending), errorCode: ABANDONED_ERROR_CODE };
            await c.query(upsertUsage(false, true), usageParams(record));
          } else if (typeof row.usage_id === "string") legacy.push(row.usage_id);
        }
        if (legacy.length > 0) {
          // Written before migration 2: the pending record is already in the usage table.
          await c.query(`UPDATE ${s}.usage SET record = jsonb_set(record, '{errorCode}', to_jsonb($2::text)) WHERE id = ANY($1) AND settled = false`, [legacy, ABANDONED_ERROR_CODE]);
        }
        return dropped.length;
      });
    },

    async getUsage(id) {
      const [row] = await query(`SELECT record FROM ${s}.usage WHERE id = $1`, [id]);
      if (row) return fromJson<UsageRecord>(row.record);
      // Not settled yet: the pending record rides on its reservation (live holds only).
      const [held] = await query(`SELECT pending FROM ${s}.reservations WHERE usage_id = $1 AND pending IS NOT NULL LIMIT 1`, [id]);
      return held && fromJson<UsageRecord>(held.pending);
    },
    async listUsage(filter) {
      const limit = clampPageLimit(filter.limit);
      const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
      if (filter.cursor !== undefined && !after) throw invalidCursor();
      const params: unknown[] = [];
      const where = buildUsageWhere(filter, after, (v) => (params.push(v), `$${params.length}`));
      params.push(limit + 1);
      const rows = await query(`SELECT record FROM ${s}.usage ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
      const records = rows.slice(0, limit).map((r) => fromJson<UsageRecord>(r.record));
      const last = records[records.length - 1];
      return { records, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async sumUsage(keyId, since) {
      const [row] = await query(`SELECT COUNT(*) AS n, COALESCE(SUM(cost_nano), 0) AS cost, COALESCE(SUM(total_tokens), 0) AS tokens FROM ${s}.usage WHERE key_id = $1 AND created_at >= $2`, [keyId, since]);
      return { requests: Number(row?.n ?? 0), costNano: Number(row?.cost ?? 0), tokens: Number(row?.tokens ?? 0) };
    },
  };
}
