import type { IncomingMessage, ServerResponse } from "node:http";
import { createProxyMiddleware } from "http-proxy-middleware";
import type { GatewayRequest } from "../../src/core/gateway-types.js";
import type { NativeGateway, NativeTicket } from "../../src/native/native-types.js";
import { writeGatewayResponse } from "./write-gateway-response.js";

export type NativeProxy = (native: NativeGateway, req: IncomingMessage, res: ServerResponse, request: GatewayRequest) => Promise<void>;

/** `/native/...` paths (below the mount) are proxied rather than handled. */
export function isNativePath(path: string): boolean {
  return path.startsWith("/native/");
}

/** The caller's headers replaced by the ticket's: only allowlisted names survive, the provider's key is set. */
function rewriteHeaders(req: IncomingMessage, ticket: NativeTicket): void {
  for (const name of Object.keys(req.headers)) if (!ticket.allowHeaders.has(name)) delete req.headers[name];
  for (const [name, value] of Object.entries(ticket.setHeaders)) req.headers[name.toLowerCase()] = value;
  if (ticket.body) req.headers["content-length"] = String(ticket.body.length);
  else delete req.headers["content-length"];
}

/**
 * The native passthrough on http-proxy-middleware
 * (https://github.com/chimurai/http-proxy-middleware): the core checks and
 * admits the request (gateway.native.prepare) and hands back a ticket; the
 * proxy forwards to the ticket's origin and path only, with the caller's
 * key swapped for the provider's, and pipes the answer back unbuffered
 * while the ticket's tap reads usage off it. The body was already read
 * (to find the model), so it is written onto the outgoing request, as
 * hpm's fixRequestBody does.
 */
export function createNativeProxy(): NativeProxy {
  const tickets = new WeakMap<IncomingMessage, NativeTicket>();
  const ticketOf = (req: IncomingMessage) => tickets.get(req)!;
  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: "http://127.0.0.1",
    router: (req) => ticketOf(req).target,
    pathRewrite: (_path, req) => ticketOf(req).path,
    changeOrigin: true,
    // Only our handlers: the default plugins would log and answer errors in their own format.
    ejectPlugins: true,
    plugins: [
      (server) => {
        server.on("proxyReq", (proxyReq, req) => {
          const body = ticketOf(req).body;
          if (body && !proxyReq.writableEnded) proxyReq.write(body);
        });
        server.on("proxyRes", (proxyRes, req, res) => {
          const ticket = ticketOf(req);
          for (const [name, value] of Object.entries(proxyRes.headers)) {
            const text = Array.isArray(value) ? value.join(",") : (value ?? "");
            if (name === "set-cookie" || ticket.secrets.some((s) => text.includes(s))) delete proxyRes.headers[name];
          }
          proxyRes.headers["x-request-id"] ??= ticket.requestId;
          ticket.tap.response(proxyRes.statusCode ?? 502, proxyRes.headers);
          res.socket?.setNoDelay(true);
          proxyRes.on("data", (chunk: Buffer) => ticket.tap.data(chunk));
          proxyRes.on("end", () => void ticket.tap.end());
          res.on("close", () => {
            if (!res.writableFinished) proxyRes.destroy();
          });
        });
        server.on("error", (error, req, res) => {
          const ticket = tickets.get(req);
          const out = res as ServerResponse;
          if (!ticket || typeof out.writeHead !== "function" || out.headersSent) return void out.destroy?.();
          void ticket.tap.error(error).then((answer) => writeGatewayResponse(out, answer));
        });
      },
    ],
  });

  return async (native, req, res, request) => {
    const prepared = await native.prepare(request);
    if (prepared.kind === "json") return writeGatewayResponse(res, prepared);
    const ticket = prepared.ticket;
    tickets.set(req, ticket);
    rewriteHeaders(req, ticket);
    res.on("close", () => {
      if (!res.writableFinished) void ticket.tap.close();
    });
    await proxy(req, res);
  };
}
