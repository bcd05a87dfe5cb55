import { nanoToUsd } from "../accounting/parse-usd.js";
import type { KeyRecord } from "../stores/store.js";
import type { PublicKey } from "./accounts.js";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A key as hosts and admin endpoints see it: masked, USD, ISO dates, never the hash. */
export function toPublicKey(key: KeyRecord): PublicKey {
  return {
    id: key.id,
    name: key.name,
    masked: key.masked,
    createdAt: new Date(key.createdAt).toISOString(),
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt),
    balance: key.balanceNano === null ? null : nanoToUsd(key.balanceNano),
    limits: key.limits,
    models: key.models,
    metadata: key.metadata,
  };
}
