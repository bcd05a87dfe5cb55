import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gateway } from "../../src/create-gateway.js";
import { notFound } from "../../src/errors/errors.js";
import { toErrorBody } from "../../src/errors/to-error-response.js";
import type { NodeAdapterOptions } from "./node-adapter-options.js";
import { createNativeProxy } from "./proxy-native.js";
import { serveNodeRequest } from "./serve-node-request.js";
import { stripMountPrefix } from "./strip-mount-prefix.js";
import { writeGatewayResponse } from "./write-gateway-response.js";

export interface NodeGatewayOptions extends NodeAdapterOptions {
  /** Mount prefix, e.g. "/v1". Requests outside it go to `next`. Default: the root. */
  prefix?: string;
  /**
   * The caller's address, for per-address limits on failed authentication.
   * Default: the socket's peer address. Behind a proxy, read it the way
   * you trust (e.g. the last hop of X-Forwarded-For your proxy appends).
   */
  clientAddress?: (req: IncomingMessage) => string | undefined;
}

/**
 * The gateway on Node's own request and response, with no framework: for
 * node:http, or in front of a framework app so the gateway's requests skip
 * the framework's per-request work:
 *
 *   const handle = nodeGateway(gateway, { prefix: "/v1" });
 *   http.createServer((req, res) => handle(req, res, () => app(req, res)));
 *
 * Requests it does not own go to `next`, or get a 404 in the gateway's
 * error shape when there is none.
 */
export function nodeGateway(gateway: Gateway, opts: NodeGatewayOptions = {}) {
  const prefix = (opts.prefix ?? "").replace(/\/+$/, "");
  const limit = opts.maxBodyBytes ?? gateway.maxBodyBytes;
  const addressOf = opts.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress);
  const proxyNative = createNativeProxy();
  const passOn = async (req: IncomingMessage, res: ServerResponse, next: (() => unknown) | undefined): Promise<void> => {
    if (next) return void (await next());
    const { status, body, headers } = toErrorBody(notFound(`No such endpoint: ${req.method ?? "GET"} ${req.url ?? "/"}`));
    await writeGatewayResponse(res, { kind: "json", status, headers, body });
  };
  return async function modelmux(req: IncomingMessage, res: ServerResponse, next?: () => unknown): Promise<void> {
    const path = stripMountPrefix(prefix, req.url ?? "/");
    if (path === undefined || !gateway.owns(path)) return passOn(req, res, next);
    const served = await serveNodeRequest(gateway, req, res, { path, parsedBody: (req as { body?: unknown }).body, limit, clientAddress: () => addressOf(req), proxyNative });
    if (!served) return passOn(req, res, next);
  };
}
