import type { Accounts, KeyManager } from "./accounts/accounts.js";
import { createAccounts } from "./accounts/create-accounts.js";
import { buildCatalog } from "./catalog/build-catalog.js";
import type { CatalogModel } from "./catalog/catalog-model.js";
import { createProviders } from "./core/create-providers.js";
import type { GatewayHooks } from "./core/gateway-hooks.js";
import type { GatewayRuntime } from "./core/gateway-runtime.js";
import type { GatewayRequest, GatewayResponse } from "./core/gateway-types.js";
import { createRequestHandler } from "./core/handle-request.js";
import { handleEmbeddings } from "./embeddings/handle-embeddings.js";
import { createMessagesEndpoint } from "./messages/create-messages-endpoint.js";
import { createNativeEndpoint } from "./native/create-native-endpoint.js";
import { createNativeGateway } from "./native/create-native-gateway.js";
import type { NativeGateway } from "./native/native-types.js";
import { ownsPath } from "./core/owns-path.js";
import { createIdGenerator } from "./core/create-id-generator.js";
import { createUndiciTransport, type Transport } from "./http/transport.js";
import { gatewayOptionsSchema, type GatewayOptionsInput } from "./options/gateway-options-schema.js";
import { formatPath } from "./schemas/parse-body.js";
import { RouteHealth } from "./routing/route-health.js";
import { resolveStore } from "./stores/resolve-store.js";
import type { Store } from "./stores/store.js";

export interface Gateway {
  /** The framework-neutral core: plain request in, plain response out. */
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  /** Whether a path (below the mount) is the gateway's; others belong to the host. */
  owns(path: string): boolean;
  /** API keys without HTTP: create, revoke, list, get, credit. */
  readonly keys: KeyManager;
  readonly models: readonly CatalogModel[];
  readonly store: Store;
  /** `/native/{provider}/...`: checks and admits a passthrough request; the adapters' proxy forwards it. */
  readonly native: NativeGateway;
  /** Largest request body the adapters accept, bytes. */
  readonly maxBodyBytes: number;
  /** Waits for the store to be ready (adapters call it lazily). */
  ready(): Promise<void>;
  /**
   * Shuts down: new requests that would reach an upstream get a 503
   * `gateway_closing`; requests in flight get up to `timeoutMs` (10 s by
   * default) to finish and have their usage settled and recorded; then the
   * store is flushed and closed. What is still running after that is cut
   * off from the store (its hold expires and is reconciled as `abandoned`).
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export type GatewayOptions = Omit<GatewayOptionsInput, "hooks" | "transport" | "store"> & {
  hooks?: GatewayHooks;
  transport?: Transport;
  store?: string | Store;
};

/**
 * Validates the options once (a bad option throws naming its path) and
 * builds the gateway: catalogue, providers, store, accounts, routing state.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const parsed = gatewayOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`modelmux: invalid option ${formatPath(issue.path)}: ${issue.message}`);
  }
  const o = parsed.data;
  const now = o.now ?? Date.now;
  const hooks = (options.hooks ?? {}) as GatewayHooks;
  const hookTimeoutMs = o.hookTimeoutMs ?? 2000;
  const store = resolveStore(options.store);
  const accounts: Accounts = createAccounts({
    store,
    staticKeys: o.keys,
    keyPrefix: o.keyPrefix,
    keyCacheMax: o.keyCache?.max,
    keyCacheTtlMs: o.keyCache?.ttlMs,
    defaultLimits: o.defaultKeyLimits,
    adminKey: o.adminKey,
    authEnabled: o.auth ?? true,
    hooks,
    hookTimeoutMs,
    now,
    generateId: o.generateId,
  });
  const catalog = buildCatalog(o.models, o.providers, o.defaultModels ?? true, now());
  const timeouts = o.timeouts ?? {};
  const rt: GatewayRuntime = {
    catalog,
    providers: createProviders(o.providers),
    accounts,
    store,
    health: new RouteHealth(store, RouteHealth.options(o.cooldown), now),
    transport: options.transport ?? createUndiciTransport({ connectMs: timeouts.connectMs }),
    hooks,
    hookTimeoutMs,
    now,
    random: o.random ?? Math.random,
    generateId: o.generateId ?? createIdGenerator(),
    timeouts: { firstByteMs: timeouts.firstByteMs ?? 60_000, responseMs: timeouts.responseMs ?? 600_000, idleMs: timeouts.idleMs ?? 120_000, totalMs: timeouts.totalMs ?? 0 },
    retry: { maxRetries: o.retry?.maxRetries ?? 1, baseDelayMs: o.retry?.baseDelayMs ?? 250, maxDelayMs: o.retry?.maxDelayMs ?? 4000, maxRetryAfterMs: o.retry?.maxRetryAfterMs ?? 10_000 },
    keepAliveIntervalMs: o.keepAliveIntervalMs ?? 5000,
  };
  const handle = createRequestHandler(rt, {
    "/messages": createMessagesEndpoint(o.providers),
    "/embeddings": handleEmbeddings,
    "/native/*": createNativeEndpoint(o.providers),
  });
  let readyPromise: Promise<void> | undefined;
  const ready = () => (readyPromise ??= store.init());
  return {
    async handle(request) {
      await ready();
      return handle(request);
    },
    owns: ownsPath,
    keys: accounts.keys,
    models: catalog.models,
    store,
    native: createNativeGateway(rt, o.providers, ready),
    maxBodyBytes: o.maxBodyBytes ?? 10 * 1024 * 1024,
    ready,
    async close(options = {}) {
      await accounts.close(options.timeoutMs);
      await store.close();
    },
  };
}
