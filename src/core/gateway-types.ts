/** The framework-neutral request the core handles: plain data in. */
export interface GatewayRequest {
  method: string;
  /** Path below the mount point, e.g. "/chat/completions" (query string allowed). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON (if the host ran a body parser), a raw string/Buffer, or undefined. */
  body?: unknown;
  signal?: AbortSignal;
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
