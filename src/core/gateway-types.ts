import type { Cancel } from "./cancel.js";

/** The framework-neutral request the core handles: plain data in. */
export interface GatewayRequest {
  method: string;
  /** Path below the mount point, e.g. "/chat/completions" (query string allowed). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON (if the host ran a body parser), a raw string/Buffer, or undefined. */
  body?: unknown;
  /** Aborts when the caller goes away: the upstream call is closed and the request recorded as cancelled. */
  signal?: AbortSignal;
  /**
   * The same, as a modelmux `Cancel`: it costs less than an AbortSignal on
   * Node 20 (each AbortSignal gets hidden classes of its own). The adapters
   * set it (`cancelFor(res)`); when set, it is used instead of `signal`.
   */
  cancel?: Cancel;
  /** The caller's network address, for per-address limits on failed auth. */
  clientAddress?: string;
}

interface ResponseBase {
  status: number;
  headers: Record<string, string>;
}

/** A JSON answer. */
export interface JsonResponse extends ResponseBase {
  kind: "json";
  body: unknown;
}

/**
 * A streamed answer: each item is one complete SSE event ("data: ...\n\n" or
 * a ": keep-alive\n\n" comment), to be written as it comes.
 */
export interface StreamResponse extends ResponseBase {
  kind: "stream";
  events: AsyncIterable<string>;
}

/** The request does not belong to the gateway: the adapter calls `next()`. */
export interface PassResponse {
  kind: "pass";
}

export type GatewayResponse = JsonResponse | StreamResponse | PassResponse;
