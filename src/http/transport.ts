import type { Cancel } from "../core/cancel.js";
import { Agent, errors as undiciErrors } from "undici";
import { GatewayError } from "../errors/gateway-error.js";
import { createUpstreamCall } from "./create-upstream-call.js";

/** What a provider asks of the network: one HTTP exchange, body streamed. */
export interface UpstreamRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /**
   * The gateway's own cancellation, on requests its providers make: the
   * built-in transport listens to it, and `signal` is made only when read.
   */
  cancel?: Cancel;
  /** Response headers must arrive within this (0/undefined: no limit). */
  firstByteMs?: number;
  /** Longest gap between two body chunks (0/undefined: no limit). */
  idleMs?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Releases the connection without reading the rest. */
  dump(): Promise<void>;
}

export type Transport = (req: UpstreamRequest) => Promise<UpstreamResponse>;

export interface TransportOptions {
  connectMs?: number;
  keepAliveMs?: number;
  connections?: number;
}

/** Maps undici/network failures to typed upstream errors (never a crash). */
export function toTransportError(error: unknown, url: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const err = error as { code?: string; name?: string; message?: string };
  const host = safeHost(url);
  if (err.name === "AbortError" || err.code === "UND_ERR_ABORTED") {
    return new GatewayError({ status: 499, code: "client_closed", message: "The request was aborted", cause: error, upstream: { kind: "timeout" } });
  }
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.ConnectTimeoutError || err.code === "UND_ERR_HEADERS_TIMEOUT" || err.code === "UND_ERR_CONNECT_TIMEOUT") {
    return new GatewayError({ status: 408, code: "upstream_timeout", message: `The upstream ${host} did not answer in time`, cause: error, isRetryable: true, upstream: { kind: "timeout" }, expose: true });
  }
  if (err instanceof undiciErrors.BodyTimeoutError || err.code === "UND_ERR_BODY_TIMEOUT") {
    return new GatewayError({ status: 408, code: "upstream_timeout", message: `The upstream ${host} stopped sending`, cause: error, isRetryable: true, upstream: { kind: "timeout" }, expose: true });
  }
  return new GatewayError({
    status: 502,
    code: "upstream_unreachable",
    message: `Could not reach the upstream ${host}`,
    cause: error,
    isRetryable: true,
    upstream: { kind: "connection" },
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "provider";
  }
}

/** A URL split into what undici's dispatch takes; a gateway calls a handful of fixed URLs, so they are kept. */
function splitUrl(cache: Map<string, { origin: string; path: string }>, url: string): { origin: string; path: string } {
  let parts = cache.get(url);
  if (!parts) {
    const u = new URL(url);
    parts = { origin: u.origin, path: `${u.pathname}${u.search}` };
    if (cache.size >= 1024) cache.clear();
    cache.set(url, parts);
  }
  return parts;
}

/** The default transport: undici's dispatch API on a keep-alive connection pool. */
export function createUndiciTransport(opts: TransportOptions = {}): Transport {
  const agent = new Agent({
    connect: { timeout: opts.connectMs ?? 10_000 },
    keepAliveTimeout: opts.keepAliveMs ?? 30_000,
    connections: opts.connections ?? 128,
    // Timeouts are set per request; undici's own 300 s defaults would cut
    // long healthy streams (LiteLLM #30836), so they are off unless asked.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const urls = new Map<string, { origin: string; path: string }>();
  return (req) => {
    let parts;
    try {
      parts = splitUrl(urls, req.url);
    } catch (error) {
      return Promise.reject(toTransportError(error, req.url));
    }
    return createUpstreamCall(agent, parts.origin, parts.path, req, (error) => toTransportError(error, req.url));
  };
}
