import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeHandler, type Gateway, type NodeAdapterOptions } from "modelmux";

export type ExpressGatewayOptions = NodeAdapterOptions;

type Req = IncomingMessage & { body?: unknown; url?: string; ip?: string };
type Next = (err?: unknown) => void;

/**
 * Express 4 and 5 middleware: `app.use("/v1", expressGateway(gateway))`.
 * It only translates; paths the gateway does not own go to `next()`.
 */
export function expressGateway(gateway: Gateway, opts: ExpressGatewayOptions = {}) {
  const serve = createNodeHandler(gateway, opts);
  return async function modelmux(req: Req, res: ServerResponse, next: Next): Promise<void> {
    const path = req.url ?? "/";
    if (!gateway.owns(path)) return next();
    // clientAddress is read only when asked (a failed authentication): Express computes req.ip through its trust-proxy rules.
    const served = await serve(req, res, path, req.body, () => req.ip ?? req.socket.remoteAddress);
    if (!served) next();
  };
}
