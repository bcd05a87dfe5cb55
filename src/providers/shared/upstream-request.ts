import { defineLazySignal } from "../../core/define-lazy-signal.js";
import type { UpstreamRequest } from "../../http/transport.js";
import type { ProviderContext } from "../provider.js";

/**
 * The transport request of one attempt: its limits, and its cancellation.
 * On a context the gateway made, the request carries the attempt's Cancel
 * and a `signal` made only if the transport reads it; on any other context,
 * the context's own signal as it is.
 */
export function upstreamRequest(ctx: ProviderContext, url: string, method: "GET" | "POST", headers: Record<string, string>, body?: string): UpstreamRequest {
  const cancel = ctx.cancel;
  if (cancel === undefined) return { url, method, headers, body, signal: ctx.signal, firstByteMs: ctx.firstByteMs, idleMs: ctx.idleMs };
  return defineLazySignal({ url, method, headers, body, cancel, firstByteMs: ctx.firstByteMs, idleMs: ctx.idleMs });
}
