import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gateway } from "../../src/create-gateway.js";
import { toErrorBody } from "../../src/errors/to-error-response.js";
import { cancelFor } from "./abort-signal-for.js";
import { isNativePath, type NativeProxy } from "./proxy-native.js";
import { readRequestBody } from "./read-request-body.js";
import { toGatewayRequest } from "./to-gateway-request.js";
import { writeGatewayResponse } from "./write-gateway-response.js";

export interface ServeNodeRequestOptions {
  /** The path below the mount point, e.g. "/chat/completions". */
  path: string;
  /** The body the host's parser left on the request, if one ran (express.json, @koa/bodyparser). */
  parsedBody: unknown;
  /** Largest body read, bytes. */
  limit: number;
  /** The caller's address by the host's rules; called only when needed (a failed authentication). */
  clientAddress: () => string | undefined;
  /** The adapter's proxy for `/native/...` paths (createNativeProxy, once per adapter). */
  proxyNative: NativeProxy;
}

/**
 * What every adapter does with a request under its mount, on Node's own
 * req/res: read the body (with its limit), hand the core a GatewayRequest,
 * write its answer (JSON in one write, SSE as it comes), and turn any
 * failure into the one error shape. Resolves false when the core passes
 * the path on, for the host's `next()`; nothing has been written then.
 */
export async function serveNodeRequest(gateway: Gateway, req: IncomingMessage, res: ServerResponse, o: ServeNodeRequestOptions): Promise<boolean> {
  try {
    const cancel = cancelFor(res);
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : await readRequestBody(req, o.parsedBody, o.limit);
    const request = toGatewayRequest(method, o.path, req.headers, body, cancel, o.clientAddress);
    if (isNativePath(o.path)) {
      await o.proxyNative(gateway.native, req, res, request);
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
    const { status, body, headers } = toErrorBody(error);
    await writeGatewayResponse(res, { kind: "json", status, headers, body });
  }
  return true;
}
