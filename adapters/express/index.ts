import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeHandler, type Gateway, type NodeAdapterOptions } from "modelmux";

export type ExpressGatewayOptions = NodeAdapterOptions;

type Req = IncomingMessage & { body?: unknown; url?: string; ip?: string };
type Next = (err?: unknown) => void;

const PROBE = Symbol("modelmux.shape");

/**
 * Gives `req` or `res` the hidden class every other request's has, once
 * Express has made it one of its own. Express sets the prototype of both
 * (Express 5 in `app.handle`, Express 4 in its `init` middleware), and V8
 * (11.3, node 20) never caches a transition out of a map whose prototype
 * was set that way: each field added after it (`locals`, `params`, `next`,
 * ...) gives this request's objects maps no other request shares, and
 * every access to them, in Node's HTTP code and in ours, misses the inline
 * caches. Adding and deleting one field of our own turns such an object
 * into a dictionary, whose map V8 shares between equal objects (its
 * normalized map cache), so the accesses hit again. On an object still in
 * the shared tree (no swap) the delete just steps back to the map it had.
 * Measured with `npm run bench:server-ab` (see bench/README.md): 13-15%
 * less CPU per request in Express on JSON c=1, JSON c=64 and SSE c=64, 3%
 * on SSE c=1; the step itself costs about 5 µs and 8 KB of garbage per
 * request. On `res` alone it saved less.
 */
function shareHiddenClass(o: object): void {
  const probe = o as Record<symbol, number>;
  probe[PROBE] = 0;
  delete probe[PROBE];
}

/**
 * Express 4 and 5 middleware: `app.use("/v1", expressGateway(gateway))`.
 * It only translates; paths the gateway does not own go to `next()`.
 */
export function expressGateway(gateway: Gateway, opts: ExpressGatewayOptions = {}) {
  const serve = createNodeHandler(gateway, opts);
  return async function modelmux(req: Req, res: ServerResponse, next: Next): Promise<void> {
    const path = req.url ?? "/";
    if (!gateway.owns(path)) return next();
    shareHiddenClass(req);
    shareHiddenClass(res);
    // clientAddress is read only when asked (a failed authentication): Express computes req.ip through its trust-proxy rules.
    const served = await serve(req, res, path, req.body, () => req.ip ?? req.socket.remoteAddress);
    if (!served) next();
  };
}
