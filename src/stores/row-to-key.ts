import type { KeyRecord } from "./store.js";

/** SQL drivers return BIGINT as string (pg) and JSON as text (SQLite) or objects (pg jsonb). */
export const toNumberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const fromJson = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

/** A `keys` row of the SQL stores as a KeyRecord. */
export function rowToKey(row: Record<string, unknown>): KeyRecord {
  return {
    id: String(row.id),
    hash: String(row.hash),
    masked: String(row.masked),
    name: String(row.name),
    createdAt: Number(row.created_at),
    expiresAt: toNumberOrNull(row.expires_at),
    revokedAt: toNumberOrNull(row.revoked_at),
    balanceNano: toNumberOrNull(row.balance_nano),
    limits: fromJson(row.limits),
    models: fromJson(row.models),
    metadata: fromJson(row.metadata),
  };
}
