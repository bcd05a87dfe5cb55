import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeHandler, type Gateway, type NodeAdapterOptions } from "modelmux";
import { BUILT_WITH_APP_PROTOTYPE } from "./create-server-options.js";

export { createServerOptions, type ExpressAppPrototypes } from "./create-server-options.js";

export type ExpressGatewayOptions = NodeAdapterOptions;

type Req = IncomingMessage & { body?: unknown; url?: string; ip?: string; [BUILT_WITH_APP_PROTOTYPE]?: true };
type Next = (err?: unknown) => void;

const PROBE = Symbol("modelmux.shape");

/**
 * Gives `req` or `res` the hidden class every other request's has, once
 * Express has made it one of its own. Express sets the prototype of both
 * (Express 5 in `app.handle`, Express 4 in its `init` middleware), and V8
 * (11.3, node 20) never caches a transition out of a map whose prototype
 * was set that way (the map setPrototypeOf gives is a copy without a back
 * pointer, a "detached" map, and V8 records no transition out of one;
 * `node --log-maps` logs each as a Transition with the reason
 * "prototype"): each field added after it (`locals`, `params`, `next`,
 * ...) gives this request's objects maps no other request shares, and
 * every access to them, in Node's HTTP code and in ours, misses the inline
 * caches. Turning such an object into a dictionary, whose map V8 shares
 * between equal objects (its normalized map cache), makes the accesses hit
 * again.
 *
 * The step deletes `own`, a field Node's constructor set (never the last
 * one added, whose delete V8 would just roll back), which makes the object
 * a dictionary, and puts it back, a dictionary insert: only the field's
 * place in the key order changes. If `own` is not a plain own data field
 * (another middleware redefined it), a symbol field of our own is added
 * and deleted instead, which costs more: the add first copies every
 * field's descriptor into a new map. `npm run bench:instructions` counted
 * about 26,000 fewer instructions a request for the delete-and-restore
 * (the inline-cache, lookup and map part: 336-339 K to 311 K on JSON,
 * 360-363 K to 334 K on SSE; bench/README.md). The probe form, measured
 * with `npm run bench:server-ab`: 13-15% less CPU per request in Express
 * on JSON c=1, JSON c=64 and SSE c=64, 3% on SSE c=1, than no step at all.
 */
function shareHiddenClass(o: object, own: string): void {
  const fields = o as Record<string | symbol, unknown>;
  const d = Object.getOwnPropertyDescriptor(fields, own);
  if (d && d.writable && d.enumerable && d.configurable) {
    delete fields[own];
    fields[own] = d.value;
    return;
  }
  fields[PROBE] = 0;
  delete fields[PROBE];
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
    // Fields Node's constructors set, long before the fields Express adds after them. Not needed when the
    // server built both with the app's prototype (createServerOptions): Express then changed no prototype.
    if (req[BUILT_WITH_APP_PROTOTYPE] !== true) {
      shareHiddenClass(req, "method");
      shareHiddenClass(res, "sendDate");
    }
    // clientAddress is read only when asked (a failed authentication): Express computes req.ip through its trust-proxy rules.
    const served = await serve(req, res, path, req.body, () => req.ip ?? req.socket.remoteAddress);
    if (!served) next();
  };
}
