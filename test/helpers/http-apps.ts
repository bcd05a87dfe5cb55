import { createServer, type RequestListener, type Server, type ServerOptions } from "node:http";
import type { AddressInfo } from "node:net";
import { bodyParser } from "@koa/bodyparser";
import express5 from "express";
import express4 from "express4";
import Koa3 from "koa";
import Koa2 from "koa2";
import type { Gateway } from "modelmux";
import { createServerOptions, expressGateway, type ExpressAppPrototypes } from "modelmux/express";
import { koaGateway } from "modelmux/koa";
import { nodeGateway } from "modelmux";

export type Framework = "express5" | "express4" | "koa3" | "koa2" | "node";

/** One way a host mounts the gateway: framework and whether its own body parser runs first. */
export interface AppVariant {
  name: string;
  framework: Framework;
  hostBodyParser: boolean;
  /** A Node request listener: the host app with the gateway under /v1 and its own routes beside it. */
  create(gateway: Gateway, opts?: { maxBodyBytes?: number }): RequestListener;
  /** The options the host's server is created with, if not the defaults (createServerOptions). */
  serverOptions?(listener: RequestListener): ServerOptions;
}

/** What a suite talks to: the host's listener, or its server where the variant builds one (supertest takes both). */
export type HostApp = RequestListener | Server;

export function hostApp(v: AppVariant, gateway: Gateway, opts?: { maxBodyBytes?: number }): HostApp {
  const listener = v.create(gateway, opts);
  return v.serverOptions ? createServer(v.serverOptions(listener), listener) : listener;
}

/**
 * The host's own routes, registered after the gateway so reaching them
 * proves the gateway called next(): GET /v1/host/hello, POST /v1/host/echo
 * (answers with the body the host read) and GET /health outside the mount.
 */
function expressApp(lib: typeof express5, hostBodyParser: boolean) {
  return (gateway: Gateway, opts: { maxBodyBytes?: number } = {}): RequestListener => {
    const app = lib();
    if (hostBodyParser) app.use(lib.json({ limit: "1mb" }));
    app.use("/v1", expressGateway(gateway, opts));
    app.get("/v1/host/hello", (_req, res) => void res.json({ host: "express", hello: true }));
    app.post("/v1/host/echo", async (req, res) => {
      if (hostBodyParser) return void res.json({ received: req.body });
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      res.json({ received: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") });
    });
    app.get("/health", (_req, res) => void res.json({ ok: true }));
    // The host's own error handler (its body parser's 400s land here, in the host's format).
    app.use((err: { status?: number; message?: string }, _req: unknown, res: express5.Response, _next: unknown) => {
      void res.status(err.status ?? 500).json({ host_error: err.message ?? "error" });
    });
    return app as unknown as RequestListener;
  };
}

function koaApp(Lib: typeof Koa3, hostBodyParser: boolean) {
  return (gateway: Gateway, opts: { maxBodyBytes?: number } = {}): RequestListener => {
    const app = new Lib();
    app.silent = true;
    if (hostBodyParser) app.use(bodyParser({ jsonLimit: "1mb" }));
    app.use(koaGateway(gateway, { prefix: "/v1", ...opts }));
    app.use(async (ctx, next) => {
      if (ctx.method === "GET" && ctx.path === "/v1/host/hello") ctx.body = { host: "koa", hello: true };
      else if (ctx.method === "POST" && ctx.path === "/v1/host/echo") {
        if (hostBodyParser) ctx.body = { received: (ctx.request as unknown as { body: unknown }).body };
        else {
          const chunks: Buffer[] = [];
          for await (const c of ctx.req) chunks.push(c as Buffer);
          ctx.body = { received: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") };
        }
      } else if (ctx.method === "GET" && ctx.path === "/health") ctx.body = { ok: true };
      else await next();
    });
    return app.callback() as unknown as RequestListener;
  };
}

/**
 * The gateway on node:http in front of an Express 5 app (nodeGateway): its
 * paths never reach Express, everything else falls through to the app and
 * its routes. The host's body parser, if any, runs only for the host's own
 * routes, so this variant runs without one.
 */
function nodeFront(gateway: Gateway, opts: { maxBodyBytes?: number } = {}): RequestListener {
  const app = expressApp(express5, false)(gateway, opts);
  const handle = nodeGateway(gateway, { prefix: "/v1", ...opts });
  return (req, res) => void handle(req, res, () => app(req, res));
}

const factories: Record<Exclude<Framework, "node">, (parser: boolean) => AppVariant["create"]> = {
  express5: (p) => expressApp(express5, p),
  express4: (p) => expressApp(express4 as unknown as typeof express5, p),
  koa3: (p) => koaApp(Koa3, p),
  koa2: (p) => koaApp(Koa2 as unknown as typeof Koa3, p),
};

/**
 * Every framework, with and without the host's body parser; Express 5 on a
 * server from createServerOptions; node:http in front of Express (10 variants).
 */
export const APP_VARIANTS: AppVariant[] = [
  ...(["express5", "express4", "koa3", "koa2"] as const).flatMap((framework) =>
    [false, true].map((hostBodyParser) => ({
      name: `${framework}${hostBodyParser ? " + host body parser" : ""}`,
      framework,
      hostBodyParser,
      create: factories[framework](hostBodyParser),
    })),
  ),
  {
    name: "express5 on createServerOptions",
    framework: "express5",
    hostBodyParser: false,
    create: factories.express5(false),
    serverOptions: (listener) => createServerOptions(listener as unknown as ExpressAppPrototypes),
  },
  { name: "node:http in front of express5", framework: "node", hostBodyParser: false, create: nodeFront },
];

export function variant(framework: Framework, hostBodyParser = false): AppVariant {
  return APP_VARIANTS.find((v) => v.framework === framework && v.hostBodyParser === hostBodyParser)!;
}

/** A real listening server on 127.0.0.1:0 (for SDK clients and disconnect tests). */
export async function listen(app: HostApp): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = typeof app === "function" ? createServer(app) : app;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
