import type { Accounts } from "../accounts/accounts.js";
import type { Catalog } from "../catalog/build-catalog.js";
import type { Transport } from "../http/transport.js";
import type { Provider } from "../providers/provider.js";
import type { RouteHealth } from "../routing/route-health.js";
import type { Store } from "../stores/store.js";
import type { GatewayHooks } from "./gateway-hooks.js";

/** Everything a request handler needs, built once by createGateway. */
export interface GatewayRuntime {
  catalog: Catalog;
  providers: Map<string, Provider>;
  accounts: Accounts;
  store: Store;
  health: RouteHealth;
  transport: Transport;
  hooks: GatewayHooks;
  hookTimeoutMs: number;
  now: () => number;
  random: () => number;
  generateId: (prefix: string) => string;
  timeouts: { firstByteMs: number; responseMs: number; idleMs: number; totalMs: number };
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  keepAliveIntervalMs: number;
}
