import type { Endpoint } from "../core/handle-request.js";
import { notFound } from "../errors/errors.js";
import type { ProviderOptions } from "../options/gateway-options-schema.js";
import { resolveNativeRoute } from "./resolve-native-route.js";
import { toNativeError } from "./to-native-error.js";

/**
 * `/native/...` reached through `gateway.handle` rather than an adapter:
 * the passthrough streams bytes through the adapters' proxy, which plain
 * data out cannot carry. The path is still checked (a trick is a 400),
 * then the caller is told to mount an adapter.
 */
export function createNativeEndpoint(providers: Record<string, ProviderOptions>): Endpoint {
  return async (_rt, req, { requestId }) => {
    try {
      const route = resolveNativeRoute(providers, req.method, req.path);
      return toNativeError(route.kind, notFound("The native passthrough is served by the Express and Koa adapters (gateway.native)", "not_found", "path"), requestId);
    } catch (error) {
      return toNativeError(undefined, error, requestId);
    }
  };
}
