import type { IncomingMessage, ServerResponse } from "node:http";
import { cancelFor, createNativeProxy, toGatewayRequest, isNativePath, readRequestBody, toErrorBody, writeGatewayResponse, type Gateway, type NodeAdapterOptions } from "modelmux";

export interface KoaGatewayOptions extends NodeAdapterOptions {
  /** Mount prefix, e.g. "/v1". Requests outside it go to `next()`. */
  prefix?: string;
}

/** The part of a Koa context the adapter uses (Koa 2 and 3 alike). */
interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
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
  const prefix = (opts.prefix ?? "").replace(/\/+$/, "");
  const limit = opts.maxBodyBytes ?? gateway.maxBodyBytes;
  const proxyNative = createNativeProxy();
  return async function modelmux(ctx: KoaContext, next: () => Promise<unknown>): Promise<void> {
    const url = ctx.url;
    if (prefix && url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) return void (await next());
    const path = url.slice(prefix.length) || "/";
    if (!gateway.owns(path)) return void (await next());
    ctx.respond = false;
    try {
      const cancel = cancelFor(ctx.res);
      const body = ctx.method === "GET" || ctx.method === "HEAD" ? undefined : await readRequestBody(ctx.req, ctx.request.body, limit);
      // clientAddress is read only when asked (a failed authentication): Koa computes ctx.ip through its proxy rules.
      const request = toGatewayRequest(ctx.method, path, ctx.req.headers, body, cancel, () => ctx.ip);
      if (isNativePath(path)) return await proxyNative(gateway.native, ctx.req, ctx.res, request);
      const response = await gateway.handle(request);
      if (response.kind === "pass") {
        ctx.respond = true;
        return void (await next());
      }
      await writeGatewayResponse(ctx.res, response);
    } catch (error) {
      if (ctx.res.headersSent) return void ctx.res.destroy();
      const { status, body, headers } = toErrorBody(error);
      await writeGatewayResponse(ctx.res, { kind: "json", status, headers, body });
    }
  };
}
