import type { ServerResponse } from "node:http";
import express from "express";
import request from "supertest";
import { createGateway, type Gateway } from "modelmux";
import { expressGateway } from "modelmux/express";
import { FakeUpstream, type Handler } from "../helpers/fake-upstream.js";
import type { AttemptRecord } from "../../src/stores/store.js";

/**
 * A scripted fault upstream: OpenAI-compatible answers and every failure
 * issue 4 names (statuses, Retry-After, hangs, resets, cut streams, bad
 * bodies, slow answers), on 127.0.0.1 only. Hanging handlers end when the
 * gateway closes the connection, which FakeUpstream records in `closedAt`.
 */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the client closes this response (or `maxMs` passes). */
function untilClosed(res: ServerResponse, maxMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, maxMs);
    res.on("close", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export function completion(model: string, text: string, usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }) {
  return {
    id: "chatcmpl-up",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage,
  };
}

export function chunk(text: string | null, finish: string | null = null): string {
  return JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "up", choices: [{ index: 0, delta: text === null ? {} : { content: text }, finish_reason: finish }] });
}

export const usageChunk = (completionTokens: number) =>
  JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "up", choices: [], usage: { prompt_tokens: 7, completion_tokens: completionTokens, total_tokens: 7 + completionTokens } });

export interface StreamScript {
  /** Delay before the first event (after the headers), ms. */
  firstDelayMs?: number;
  /** Delay between later events, ms. */
  delayMs?: number;
  /** After this many content events: "cut" destroys the socket, "hang" goes silent, "invalid" sends bad JSON, "error" sends an error event. */
  failAfter?: { events: number; how: "cut" | "hang" | "invalid" | "error" };
  /** Send the usage chunk and [DONE] at the end (default true). */
  complete?: boolean;
}

/** A text answer streamed word by word, each word one SSE event. */
function streamWords(words: string[], s: StreamScript = {}): Handler {
  return async (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.flushHeaders();
    if (s.firstDelayMs) await sleep(s.firstDelayMs);
    for (const [i, word] of words.entries()) {
      if (s.failAfter && i === s.failAfter.events) {
        const how = s.failAfter.how;
        if (how === "cut") {
          // Let the events already written reach the client, then drop the connection.
          await sleep(30);
          return void res.socket?.destroy();
        }
        if (how === "hang") return untilClosed(res);
        res.write(how === "invalid" ? "data: {not json\n\n" : `data: ${JSON.stringify({ error: { message: "boom mid-stream", type: "server_error" } })}\n\n`);
        return void res.end();
      }
      if (i > 0 && s.delayMs) await sleep(s.delayMs);
      if (res.destroyed) return;
      res.write(`data: ${chunk(word)}\n\n`);
    }
    if (s.complete === false) return void res.end();
    res.write(`data: ${chunk(null, "stop")}\n\n`);
    res.write(`data: ${usageChunk(words.length)}\n\n`);
    res.write("data: [DONE]\n\n");
    res.end();
  };
}

export const fault = {
  /** A JSON error body with this status. */
  status(status: number, message = `upstream says ${status}`, headers: Record<string, string> = {}, code?: string): Handler {
    return (_req, res) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify({ error: { message, type: "upstream_error", code: code ?? null, param: null } }));
    };
  },
  /** An HTML error page (a proxy or CDN in front of the provider). */
  html(status: number): Handler {
    return (_req, res) => {
      res.writeHead(status, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    };
  },
  /** 200 with a body that is not JSON. */
  invalidJson(): Handler {
    return (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{\"id\": \"x\", oops");
    };
  },
  /** Never sends headers; ends when the client gives up. */
  hang(): Handler {
    return (_req, res) => untilClosed(res);
  },
  /** Drops the TCP connection without an answer. */
  reset(): Handler {
    return (req, res) => void res.socket?.destroy();
  },
  /** A normal answer, streamed or not as the request asked, after `delayMs`. */
  ok(text = "hello from upstream", opts: { delayMs?: number; stream?: StreamScript } = {}): Handler {
    return async (req, res) => {
      const body = req.json as { model: string; stream?: boolean };
      if (opts.delayMs) {
        await Promise.race([sleep(opts.delayMs), untilClosed(res, opts.delayMs)]);
        if (res.destroyed || res.writableEnded) return;
      }
      if (body.stream) return streamWords(text.split(" "), opts.stream)(req, res);
      res.writeHead(200, { "content-type": "application/json", "x-ratelimit-remaining-requests": "99" });
      res.end(JSON.stringify(completion(body.model, text)));
    };
  },
  /** A stream with a scripted failure or pacing. */
  stream(words: string[], script: StreamScript): Handler {
    return streamWords(words, script);
  },
};

/** Upstreams by provider name, each answering through its handler queue then `otherwise`. */
export async function startUpstreams(...names: string[]): Promise<Record<string, FakeUpstream>> {
  const out: Record<string, FakeUpstream> = {};
  for (const n of names) out[n] = await new FakeUpstream().start();
  return out;
}

export const KEY = "test-key-routing-1";

export type GatewayOpts = Parameters<typeof createGateway>[0];

/** A gateway whose providers are OpenAI-compatible and point at the fault upstreams. */
export function faultGateway(ups: Record<string, FakeUpstream>, opts: Omit<GatewayOpts, "providers"> & { providers?: GatewayOpts["providers"] }): Gateway {
  const providers: GatewayOpts["providers"] = {};
  for (const [name, up] of Object.entries(ups)) providers[name] = { type: "openai", baseURL: `${up.url}/v1`, apiKey: `sk-${name}` };
  return createGateway({
    keys: [KEY],
    retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
    timeouts: { firstByteMs: 400, idleMs: 400 },
    keepAliveIntervalMs: 2000,
    ...opts,
    providers: { ...providers, ...opts.providers },
  });
}

export function appFor(gateway: Gateway) {
  const app = express();
  app.use("/v1", expressGateway(gateway));
  return app;
}

type TextParser = Parameters<request.Test["parse"]>[0];
const textParser = ((res: NodeJS.ReadableStream & { setEncoding(e: string): void }, cb: (err: Error | null, body: string) => void) => {
  let s = "";
  res.setEncoding("utf8");
  res.on("data", (c: string) => (s += c));
  res.on("end", () => cb(null, s));
}) as unknown as TextParser;

export interface ChatResult {
  status: number;
  headers: Record<string, string>;
  /** The SSE text of a stream. */
  text: string;
  /** The JSON body (an answer or an error). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** POST /v1/chat/completions through Express; a stream is read whole as text, a JSON answer (or error) parsed. */
export async function chat(app: ReturnType<typeof appFor>, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ChatResult> {
  const res = await request(app).post("/v1/chat/completions").set("authorization", `Bearer ${KEY}`).set(headers).send(body).buffer(true).parse(textParser);
  const text = res.body as string;
  const isJson = String(res.headers["content-type"]).includes("json");
  return { status: res.status, headers: res.headers as Record<string, string>, text, body: isJson ? JSON.parse(text) : undefined };
}

/** The data payloads of an SSE body, and its comments. */
export function parseEvents(text: string): { data: string[]; comments: string[] } {
  const data: string[] = [];
  const comments: string[] = [];
  for (const block of text.split("\n\n")) {
    if (block.startsWith(":")) comments.push(block);
    else if (block.startsWith("data: ")) data.push(block.slice(6));
  }
  return { data, comments };
}

/** An attempt as GET /generation reports it, read back into the store's field names. */
export type AttemptView = Omit<AttemptRecord, "startedAt">;

export interface GenerationView {
  model: string | null;
  provider: string | null;
  status: number;
  errorCode: string | null;
  cancelled: boolean;
  promptTokens: number;
  completionTokens: number;
  attempts: AttemptView[];
}

/** GET /v1/generation?id=, read field by field (the wire is snake_case). */
export async function generation(app: ReturnType<typeof appFor>, id: string): Promise<GenerationView> {
  const res = await request(app).get(`/v1/generation?id=${encodeURIComponent(id)}`).set("authorization", `Bearer ${KEY}`);
  if (res.status !== 200) throw new Error(`GET /generation answered ${res.status}: ${JSON.stringify(res.body)}`);
  const d = (res.body as { data: Record<string, any> }).data; // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    model: d.model,
    provider: d.provider,
    status: d.status,
    errorCode: d.error_code,
    cancelled: d.cancelled,
    promptTokens: d.usage?.prompt_tokens ?? d.tokens_prompt,
    completionTokens: d.usage?.completion_tokens ?? d.tokens_completion,
    attempts: (d.attempts as Array<Record<string, any>>).map((a) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      provider: a.provider,
      model: a.model,
      status: a.status,
      errorCode: a.error_code ?? a.errorCode ?? null,
      latencyMs: a.latency_ms ?? a.latencyMs,
      retries: a.retries,
    })),
  };
}

export const msg = [{ role: "user", content: "hi" }];

export { seeded } from "../helpers/seeded.js";

/** A clock the test moves by hand. */
export function manualClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}
