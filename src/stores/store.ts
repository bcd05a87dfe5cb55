/**
 * Persistence behind the gateway. One contract, several stores (memory,
 * SQLite, Redis + PostgreSQL); money is integer nano-USD everywhere.
 */
export interface KeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrent?: number;
}

export interface KeyRecord {
  id: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  hash: string;
  /** A masked display form, e.g. "mm_AbCd…wxyz". */
  masked: string;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Remaining credit in nano-USD; null means unlimited. */
  balanceNano: number | null;
  limits: KeyLimits;
  /** Model ids this key may use; null means all. */
  models: string[] | null;
  metadata: Record<string, string>;
}

export interface AttemptRecord {
  provider: string;
  model: string;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  retries: number;
  startedAt: number;
}

export interface UsageRecord {
  id: string;
  keyId: string | null;
  endpoint: string;
  requestedModel: string;
  model: string | null;
  provider: string | null;
  attempts: AttemptRecord[];
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNano: number;
  ttftMs: number | null;
  latencyMs: number;
  status: number;
  errorCode: string | null;
  stream: boolean;
  cancelled: boolean;
  user: string | null;
  createdAt: number;
}

export interface Reservation {
  /** Usually the generation id, so the pending usage record and the final one share it. */
  id: string;
  /** null for callers without a key (auth off): nothing is held, only the pending record is written. */
  keyId: string | null;
  /** 0 holds nothing (unlimited keys, free models) but still writes the pending record. */
  amountNano: number;
  expiresAt: number;
  /**
   * The request's record so far (status 0, errorCode "incomplete"), stored
   * with the hold in the same transaction. It is not in the usage log yet
   * (listUsage/sumUsage count finished requests) but getUsage(id) answers it
   * while the hold lives. Settle writes the final record in its place; if
   * the request never settles, reconcile writes it to the log marked
   * "abandoned", so a process killed mid-request still leaves exactly one
   * record.
   */
  pending?: UsageRecord;
}

/** errorCode of a pending usage record (reserve wrote it, settle has not run yet). */
export const PENDING_ERROR_CODE = "incomplete";
/** errorCode given by reconcile to the pending record of a reservation that expired unsettled. */
export const ABANDONED_ERROR_CODE = "abandoned";

export interface UsageFilter {
  keyId?: string;
  model?: string;
  from?: number;
  to?: number;
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface CreditRecord {
  id: string;
  keyId: string;
  amountNano: number;
  reason: string;
  createdAt: number;
}

export interface Store {
  init(): Promise<void>;
  close(): Promise<void>;

  insertKey(key: KeyRecord): Promise<void>;
  findKeyByHash(hash: string): Promise<KeyRecord | undefined>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  listKeys(opts?: { limit?: number; cursor?: string }): Promise<{ keys: KeyRecord[]; nextCursor: string | null }>;
  updateKey(id: string, patch: Partial<Pick<KeyRecord, "name" | "revokedAt" | "expiresAt" | "limits" | "models" | "metadata">>): Promise<KeyRecord | undefined>;

  /** Adds (or with a negative amount removes) credit and writes an audit record. Idempotent on `credit.id`. */
  credit(credit: CreditRecord): Promise<{ balanceNano: number | null }>;
  listCredits(keyId: string): Promise<CreditRecord[]>;

  /**
   * Holds `amountNano` of the key's balance if the balance minus other live
   * (unexpired) holds covers it, and keeps `reservation.pending` with it.
   * Atomic: concurrent reservations never overspend. Unlimited keys
   * (balanceNano null) always succeed; an unknown key succeeds only for 0.
   */
  reserve(reservation: Reservation, now: number): Promise<{ ok: boolean; availableNano: number | null }>;
  /**
   * Atomically charges `usage.costNano` to `usage.keyId`, drops the
   * reservation (if any) and writes the usage record (replacing the pending
   * one). Idempotent on `usage.id`: a second call charges nothing. The charge
   * is capped at the key's balance, so a balance never goes below zero.
   */
  settle(reservationId: string | null, usage: UsageRecord): Promise<void>;
  /**
   * Drops expired reservations (their hold is released; nothing is charged)
   * and writes their pending usage records to the log marked "abandoned"
   * (never over a settled one). Returns how many.
   */
  reconcile(now: number): Promise<number>;

  getUsage(id: string): Promise<UsageRecord | undefined>;
  listUsage(filter: UsageFilter): Promise<{ records: UsageRecord[]; nextCursor: string | null }>;
  sumUsage(keyId: string, since: number): Promise<{ requests: number; costNano: number; tokens: number }>;

  /** Fixed-window counter: adds `amount` to `name` in the window holding `now`; returns the new total. */
  incrementWindow(name: string, windowMs: number, amount: number, now: number): Promise<{ total: number; resetAt: number }>;
  /**
   * Counting semaphore with a lease (so a crashed holder frees its slot).
   * Returns a lease id to pass to releaseSlot, or null when all `max` slots are held.
   */
  acquireSlot(name: string, max: number, leaseMs: number, now: number): Promise<string | null>;
  /** Frees the given lease (without one: the oldest lease of `name`). Unknown leases are ignored. */
  releaseSlot(name: string, lease?: string): Promise<void>;

  /** Small shared state (route cooldowns), JSON values with an expiry. */
  getState(name: string): Promise<string | undefined>;
  setState(name: string, value: string, ttlMs: number): Promise<void>;
}
