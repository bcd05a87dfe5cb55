import type { JsonResponse } from "../core/gateway-types.js";

/** The provider API families the passthrough speaks. */
export type NativeKind = "anthropic" | "google" | "openai";

/**
 * What the usage tap is told about the proxied exchange. The adapter's
 * proxy calls these as the upstream answer flows past; each ends the
 * request once (settle, usage log) whichever comes first.
 */
export interface NativeTap {
  response(status: number, headers: Record<string, string | string[] | undefined>): void;
  data(chunk: Uint8Array): void;
  /** The upstream answer reached the caller whole. */
  end(): Promise<void>;
  /** The caller went away first: what was sent is still accounted. */
  close(): Promise<void>;
  /** The upstream could not be reached: the answer to send instead, in the provider's error shape. */
  error(cause: unknown): Promise<JsonResponse>;
}

/** A checked, admitted native request, ready for the proxy. */
export interface NativeTicket {
  /** Upstream origin only (`https://api.anthropic.com`): the path cannot change the host. */
  target: string;
  /** Upstream path and query, the provider's base path included. */
  path: string;
  /** Request headers the upstream may see (an allowlist); everything else is removed. */
  allowHeaders: ReadonlySet<string>;
  /** Headers to set: the provider's key and fixed headers. */
  setHeaders: Record<string, string>;
  /** Response header values never to show the caller (the provider's key). */
  secrets: string[];
  body: Buffer | undefined;
  tap: NativeTap;
  requestId: string;
}

export type NativePrepared = { kind: "proxy"; ticket: NativeTicket } | JsonResponse;

/** On the Gateway object: the framework-neutral half of `/native/{provider}/...`. */
export interface NativeGateway {
  /** Checks path, key, model, limits and balance; the answer is a ticket for the proxy or an error to send. */
  prepare(request: import("../core/gateway-types.js").GatewayRequest): Promise<NativePrepared>;
}
