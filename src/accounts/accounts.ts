import type { CatalogModel } from "../catalog/catalog-model.js";
import type { GatewayRequest, GatewayResponse } from "../core/gateway-types.js";
import type { KeyLimits, KeyRecord, UsageRecord } from "../stores/store.js";

/** Who is calling: a stored key, or whatever the host's authenticate hook returned. */
export interface Principal {
  keyId: string | null;
  key: KeyRecord | null;
  /** Set when the host's `authenticate` hook vouched for the caller. */
  external?: unknown;
}

export interface AdmitInput {
  principal: Principal;
  model: CatalogModel;
  /** The most this request can cost, nano-USD (prompt + max output at the model's prices). */
  maxCostNano: number;
  /** Prompt tokens plus the output limit, for tokens-per-minute limits. */
  estimatedTokens: number;
  requestId: string;
  /**
   * The generation id the final usage record will carry: the reservation and
   * the pending usage record use it, so a killed request leaves a record
   * under the id the client saw. Without it a fresh id is made (settle still
   * replaces that pending record).
   */
  generationId?: string;
  /** For the pending usage record written at reserve time. */
  endpoint?: string;
  stream?: boolean;
  user?: string | null;
}

export interface Admission {
  requestId: string;
  reservationId: string | null;
  /** x-ratelimit-* headers for the answer. */
  headers: Record<string, string>;
  /** Internal to Accounts: who was admitted, the concurrency lease, the token window. */
  keyId?: string | null;
  slotLease?: string | null;
  estimatedTokens?: number;
  tokenWindowResetAt?: number | null;
}

export interface CreateKeyInput {
  name?: string;
  /** Starting credit in USD; omitted means unlimited. */
  credits?: number;
  limits?: KeyLimits;
  models?: string[];
  expiresAt?: Date | number | string;
  metadata?: Record<string, string>;
}

export interface PublicKey {
  id: string;
  name: string;
  masked: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** USD; null means unlimited. */
  balance: number | null;
  limits: KeyLimits;
  models: string[] | null;
  metadata: Record<string, string>;
}

/** `gateway.keys`: key management without HTTP (the admin endpoints call the same). */
export interface KeyManager {
  /** Returns the secret once; only its hash is stored. */
  create(input?: CreateKeyInput): Promise<{ key: string; id: string; record: PublicKey }>;
  revoke(id: string): Promise<PublicKey>;
  get(id: string): Promise<PublicKey | undefined>;
  list(opts?: { limit?: number; cursor?: string }): Promise<{ keys: PublicKey[]; nextCursor: string | null }>;
  /** Adds credit (negative removes), with an audit record. Returns the new balance in USD. */
  credit(id: string, usd: number, reason?: string): Promise<{ balance: number | null }>;
}

/**
 * The accounting boundary the core calls: authentication, admission
 * (limits + balance reservation), settlement and the usage log.
 */
export interface Accounts {
  readonly keys: KeyManager;
  authenticate(request: GatewayRequest): Promise<Principal>;
  /** 403 when the key may not use this model. */
  authorizeModel(principal: Principal, model: CatalogModel): void;
  /** Rate limits and balance reservation; throws 402/429. */
  admit(input: AdmitInput): Promise<Admission>;
  /**
   * Runs the host's beforeRequest hook (bounded). Returns what the hook
   * returned when it returned something, else `ctx`. A GatewayError thrown by
   * the hook refuses the request (rethrown); any other failure or a timeout is
   * reported and the request goes on unchanged.
   */
  beforeRequest<T>(ctx: T): Promise<T>;
  /** Settles the reservation to `record.costNano`, writes the usage log and runs onUsage. Never throws. */
  finish(admission: Admission | null, record: UsageRecord): Promise<void>;
  getGeneration(id: string, principal: Principal): Promise<UsageRecord | undefined>;
  /** The body of GET /key. */
  describeKey(principal: Principal): Promise<unknown>;
  /** /admin/... endpoints; `pass` when admin is not configured. */
  handleAdmin(request: GatewayRequest, subpath: string): Promise<GatewayResponse>;
  /** Releases expired reservations now (also done at start and every reconcileIntervalMs). */
  reconcile(): Promise<number>;
  /** Resolves once the store is initialised (migrations run, static keys ready). */
  ready(): Promise<void>;
  /**
   * Refuses new admissions (503 `gateway_closing`), waits up to `timeoutMs`
   * for the admitted requests to finish (their records written), then
   * closes the store if it is this one's own.
   */
  close(timeoutMs?: number): Promise<void>;
}
