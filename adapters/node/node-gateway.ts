import type { IncomingMessage, ServerResponse } from "node:http";
import type { Gateway } from "../../src/create-gateway.js";
import { notFound } from "../../src/errors/errors.js";
import { createNodeHandler } from "./create-node-handler.js";
import type { NodeAdapterOptions } from "./node-adapter-options.js";
import { stripMountPrefix } from "./strip-mount-prefix.js";
import { writeErrorResponse } from "./write-error-response.js";

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
  const addressOf = opts.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress);
  const serve = createNodeHandler(gateway, opts);
  const passOn = async (req: IncomingMessage, res: ServerResponse, next: (() => unknown) | undefined): Promise<void> => {
    if (next) return void (await next());
    await writeErrorResponse(res, notFound(`No such endpoint: ${req.method ?? "GET"} ${req.url ?? "/"}`));
  };
  return async function modelmux(req: IncomingMessage, res: ServerResponse, next?: () => unknown): Promise<void> {
    const path = stripMountPrefix(opts.prefix ?? "", req.url ?? "/");
    if (path === undefined || !gateway.owns(path)) return passOn(req, res, next);
    const served = await serve(req, res, path, (req as { body?: unknown }).body, () => addressOf(req));
    if (!served) return passOn(req, res, next);
  };
}
