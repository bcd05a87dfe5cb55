import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  json: unknown;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A local upstream on 127.0.0.1 that answers with scripted handlers and
 * records what it was sent. Handlers are queued (`next`) or fixed per path
 * (`on`); unknown requests get a 404 JSON body.
 */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  /** Sockets closed by the client, for disconnect tests. */
  closedAt: number[] = [];
  private server: Server;
  private queue: Handler[] = [];
  private routes = new Map<string, Handler>();
  private fallback: Handler | undefined;
  url = "";

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answer the next request with this handler (FIFO). */
  next(handler: Handler): this {
    this.queue.push(handler);
    return this;
  }

  /** Answer every request whose path (without query) is `path`. */
  on(path: string, handler: Handler): this {
    this.routes.set(path, handler);
    return this;
  }

  otherwise(handler: Handler): this {
    this.fallback = handler;
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.queue = [];
    this.routes.clear();
    this.fallback = undefined;
    this.closedAt = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const recorded = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body, json };
    this.requests.push(recorded);
    res.on("close", () => {
      if (!res.writableFinished) this.closedAt.push(Date.now());
    });
    const path = (req.url ?? "/").split("?")[0]!;
    const handler = this.queue.shift() ?? this.routes.get(path) ?? this.fallback;
    if (!handler) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no fake handler for ${req.method} ${path}`, type: "not_found" } }));
      return;
    }
    await handler(recorded, res);
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

export function raw(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SseOptions {
  /** Delay before each event, ms. */
  delayMs?: number;
  /** Append `data: [DONE]` (OpenAI framing). */
  done?: boolean;
  /** Event names per payload (Anthropic framing uses the payload's `type`). */
  eventNames?: boolean;
  /** Line separator: "\n" (default) or "\r\n" (Gemini). */
  eol?: string;
  /** Stop after this many events and destroy the socket (a cut stream). */
  cutAfter?: number;
  headers?: Record<string, string>;
}

/** Streams JSON payload lines as SSE events, as the recorded `.chunks.txt` files are replayed. */
export function sse(payloads: string[], opts: SseOptions = {}): Handler {
  return async (_req, res) => {
    const eol = opts.eol ?? "\n";
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...opts.headers });
    res.flushHeaders();
    let sent = 0;
    for (const payload of payloads) {
      if (opts.cutAfter !== undefined && sent >= opts.cutAfter) {
        res.socket?.destroy();
        return;
      }
      if (opts.delayMs) await sleep(opts.delayMs);
      if (res.destroyed) return;
      let prefix = "";
      if (opts.eventNames) {
        const type = (JSON.parse(payload) as { type?: string }).type;
        if (type) prefix = `event: ${type}${eol}`;
      }
      res.write(`${prefix}data: ${payload}${eol}${eol}`);
      sent++;
    }
    if (opts.done) res.write(`data: [DONE]${eol}${eol}`);
    res.end();
  };
}
