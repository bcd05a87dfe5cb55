import type { IncomingHttpHeaders } from "node:http";
import type { Cancel } from "../../src/core/cancel.js";
import { defineLazySignal } from "../../src/core/define-lazy-signal.js";
import type { GatewayRequest } from "../../src/core/gateway-types.js";

const ADDRESS = Symbol("modelmux.clientAddress");

type HostRequest = GatewayRequest & { [ADDRESS]: () => string | undefined };

/** One getter for every request, like `signal`'s (see defineLazySignal): the request object keeps one hidden class. */
const CLIENT_ADDRESS: PropertyDescriptor = {
  get(this: HostRequest): string | undefined {
    return this[ADDRESS]();
  },
  enumerable: true,
  configurable: true,
};

/**
 * The request an adapter hands `gateway.handle()`: `cancel` follows the
 * response, `signal` is made only if something reads it (a hook), and
 * `clientAddress` is computed only when read (a failed authentication),
 * by the host's own rules (Express's `req.ip`, Koa's `ctx.ip`, with their
 * trust-proxy settings).
 */
export function toGatewayRequest(method: string, path: string, headers: IncomingHttpHeaders, body: unknown, cancel: Cancel, clientAddress: () => string | undefined): GatewayRequest {
  const request = defineLazySignal({ method, path, headers, body, cancel });
  Object.defineProperty(request, ADDRESS, { value: clientAddress });
  return Object.defineProperty(request, "clientAddress", CLIENT_ADDRESS);
}
