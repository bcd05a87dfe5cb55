import type { IncomingMessage, ServerResponse } from "node:http";
import { cancelFor, createNativeProxy, toGatewayRequest, isNativePath, readRequestBody, toErrorBody, writeGatewayResponse, type Gateway, type NodeAdapterOptions } from "modelmux";

export type ExpressGatewayOptions = NodeAdapterOptions;

type Req = IncomingMessage & { body?: unknown; url?: string; ip?: string };
type Next = (err?: unknown) => void;

/**
 * Express 4 and 5 middleware: `app.use("/v1", expressGateway(gateway))`.
 * It only translates; paths the gateway does not own go to `next()`.
 */
export function expressGateway(gateway: Gateway, opts: ExpressGatewayOptions = {}) {
  const limit = opts.maxBodyBytes ?? gateway.maxBodyBytes;
  const proxyNative = createNativeProxy();
  return async function modelmux(req: Req, res: ServerResponse, next: Next): Promise<void> {
    const path = req.url ?? "/";
    if (!gateway.owns(path)) return next();
    try {
      const cancel = cancelFor(res);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readRequestBody(req, req.body, limit);
      // clientAddress is read only when asked (a failed authentication): Express computes req.ip through its trust-proxy rules.
      const request = toGatewayRequest(req.method ?? "GET", path, req.headers, body, cancel, () => req.ip ?? req.socket.remoteAddress);
      if (isNativePath(path)) return await proxyNative(gateway.native, req, res, request);
      const response = await gateway.handle(request);
      if (response.kind === "pass") return next();
      await writeGatewayResponse(res, response);
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      const { status, body, headers } = toErrorBody(error);
      await writeGatewayResponse(res, { kind: "json", status, headers, body });
    }
  };
}
