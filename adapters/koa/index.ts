import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeHandler, stripMountPrefix, type Gateway, type NodeAdapterOptions } from "modelmux";

export interface KoaGatewayOptions extends NodeAdapterOptions {
  /** Mount prefix, e.g. "/v1". Requests outside it go to `next()`. */
  prefix?: string;
}

/** The part of a Koa context the adapter uses (Koa 2 and 3 alike). */
interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: string;
  ip?: string;
  request: { body?: unknown };
  respond?: boolean;
}

/**
 * Koa 2 and 3 middleware: `app.use(koaGateway(gateway, { prefix: "/v1" }))`.
 * It writes to the Node response itself (`ctx.respond = false`) so SSE is
 * never buffered; paths the gateway does not own go to `next()`.
 */
export function koaGateway(gateway: Gateway, opts: KoaGatewayOptions = {}) {
  const serve = createNodeHandler(gateway, opts);
  return async function modelmux(ctx: KoaContext, next: () => Promise<unknown>): Promise<void> {
    const path = stripMountPrefix(opts.prefix ?? "", ctx.url);
    if (path === undefined || !gateway.owns(path)) return void (await next());
    ctx.respond = false;
    // clientAddress is read only when asked (a failed authentication): Koa computes ctx.ip through its proxy rules.
    const served = await serve(ctx.req, ctx.res, path, ctx.request.body, () => ctx.ip);
    if (served) return;
    ctx.respond = true;
    await next();
  };
}
