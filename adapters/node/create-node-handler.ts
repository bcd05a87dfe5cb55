import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gateway } from "../../src/create-gateway.js";
import { cancelFor } from "./abort-signal-for.js";
import type { NodeAdapterOptions } from "./node-adapter-options.js";
import { createNativeProxy, isNativePath } from "./proxy-native.js";
import { readRequestBody } from "./read-request-body.js";
import { toGatewayRequest } from "./to-gateway-request.js";
import { writeErrorResponse } from "./write-error-response.js";
import { writeGatewayResponse } from "./write-gateway-response.js";

/**
 * Serves one request under an adapter's mount. `path` is below the mount
 * point ("/chat/completions"); `parsedBody` is what the host's parser left
 * on the request, if one ran (express.json, @koa/bodyparser);
 * `clientAddress` gives the caller's address by the host's rules and is
 * called only when needed (a failed authentication). Resolves false when
 * the core passes the path on, for the host's `next()`; nothing has been
 * written then.
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, path: string, parsedBody: unknown, clientAddress: () => string | undefined) => Promise<boolean>;

/**
 * What every adapter does with a request under its mount, on Node's own
 * req/res, made once per adapter (its body limit and its proxy for
 * `/native/...` paths): read the body (with its limit), hand the core a
 * GatewayRequest, write its answer (JSON in one write, SSE as it comes),
 * and turn any failure into the one error shape.
 */
export function createNodeHandler(gateway: Gateway, opts: NodeAdapterOptions = {}): NodeHandler {
  const limit = opts.maxBodyBytes ?? gateway.maxBodyBytes;
  const proxyNative = createNativeProxy();
  return async (req, res, path, parsedBody, clientAddress) => {
    try {
      const cancel = cancelFor(res);
      const method = req.method ?? "GET";
      const body = method === "GET" || method === "HEAD" ? undefined : await readRequestBody(req, parsedBody, limit);
      const request = toGatewayRequest(method, path, req.headers, body, cancel, clientAddress);
      if (isNativePath(path)) {
        await proxyNative(gateway.native, req, res, request);
        return true;
      }
      const response = await gateway.handle(request);
      if (response.kind === "pass") return false;
      await writeGatewayResponse(res, response);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      await writeErrorResponse(res, error);
    }
    return true;
  };
}
