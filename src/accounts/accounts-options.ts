import type { LRUCache } from "lru-cache";
import type { GatewayRequest } from "../core/gateway-types.js";
import type { KeyLimits, KeyRecord, Store, UsageRecord } from "../stores/store.js";

/**
 * What the host's `authenticate` hook returns for a caller it vouches for.
 * `keyId` naming a stored key uses that key (balance, limits); otherwise the
 * caller is an unmetered principal with the given limits and models.
 */
export interface ExternalIdentity {
  keyId?: string;
  id?: string;
  name?: string;
  limits?: KeyLimits;
  models?: string[] | null;
  [extra: string]: unknown;
}

export interface HookErrorContext {
  hook: string;
  requestId?: string;
}

export interface AccountsHooks {
  /**
   * Replaces the key store: an identity grants access, null (or false) is a
   * 401, undefined falls through to the key store. `token` is null when the
   * request carried none (a session cookie may still identify the caller).
   */
  authenticate?(token: string | null, request: GatewayRequest): ExternalIdentity | null | undefined | false | Promise<ExternalIdentity | null | undefined | false>;
  beforeRequest?(ctx: unknown): unknown;
  onUsage?(record: UsageRecord): unknown;
  onError?(error: unknown, ctx: HookErrorContext): unknown;
}

export interface AccountsOptions {
  /** A Store, a SQLite path, ":memory:", or undefined for an in-memory store. */
  store?: string | Store;
  /** Keys accepted as-is (hashed at start, unmetered, no expiry). */
  staticKeys?: string[];
  /** Prefix of generated keys. Default "mm_". */
  keyPrefix?: string;
  /** Bearer token for /admin endpoints; without it they pass through. */
  adminKey?: string;
  /** false: every caller is an anonymous principal. Default true. */
  authEnabled?: boolean;
  hooks?: AccountsHooks;
  /** Longest a hook may hold a caller. Default 2000 ms. */
  hookTimeoutMs?: number;
  now?: () => number;
  randomBytes?: (size: number) => Uint8Array;
  generateId?: (prefix: string) => string;
  /** How long a balance hold lives if its request never settles (crash). Default 15 min. */
  reservationTtlMs?: number;
  /** Limits for keys that set none of their own (each field separately); unset: unlimited. */
  defaultLimits?: KeyLimits;
  /** Failed authentications allowed per client address per window. Default 30 per 60 s. */
  failedAuthLimit?: { max: number; windowMs: number };
  /** How long a looked-up key is cached in this process. Revoking here invalidates at once. Default 2000 ms. */
  keyCacheTtlMs?: number;
  /** How many looked-up keys this process caches (least recently used leave first). Default 10,000. */
  keyCacheMax?: number;
  /** How often expired reservations are reconciled. Default 60 s; 0 disables the timer. */
  reconcileIntervalMs?: number;
}

/** What the parts of createAccounts share. */
export interface AccountsContext {
  store: Store;
  prefix: string;
  now: () => number;
  randomBytes: (size: number) => Uint8Array;
  generateId: (prefix: string) => string;
  hooks: AccountsHooks;
  hookTimeoutMs: number;
  reservationTtlMs: number;
  defaultLimits: KeyLimits;
  keyCache: LRUCache<string, KeyRecord>;
  staticKeys: Map<string, KeyRecord>;
  report: (error: unknown, ctx: HookErrorContext) => void;
}
