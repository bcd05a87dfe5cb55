import { defineLazySignal } from "../../core/define-lazy-signal.js";
import { BODY_BYTES, type WithBodyBytes } from "../../http/body-bytes.js";
import { encodeJsonBody } from "../../http/encode-json-body.js";
import type { UpstreamRequest } from "../../http/transport.js";
import type { ProviderContext } from "../provider.js";

/**
 * The transport request of one attempt: its limits, and its cancellation.
 * On a context the gateway made, the request carries the attempt's Cancel
 * and a `signal` made only if the transport reads it; on any other context,
 * the context's own signal as it is. A `json` body is encoded here
 * (encodeJsonBody): a long one as bytes, which the built-in transport sends
 * as they are, while any other transport reads `body` as the string it
 * always was, decoded when read.
 */
export function upstreamRequest(ctx: ProviderContext, url: string, method: "GET" | "POST", headers: Record<string, string>, json?: unknown): UpstreamRequest {
  const cancel = ctx.cancel;
  const body = json === undefined ? undefined : encodeJsonBody(json);
  const text = typeof body === "string" ? body : undefined;
  const req: UpstreamRequest =
    cancel === undefined
      ? { url, method, headers, body: text, signal: ctx.signal, firstByteMs: ctx.firstByteMs, idleMs: ctx.idleMs }
      : defineLazySignal({ url, method, headers, body: text, cancel, firstByteMs: ctx.firstByteMs, idleMs: ctx.idleMs });
  if (Buffer.isBuffer(body)) {
    // Rare (long bodies only), so this object's own hidden class does not matter.
    Object.defineProperty(req, "body", { get: () => body.toString("utf8"), enumerable: true, configurable: true });
    (req as WithBodyBytes)[BODY_BYTES] = body;
  }
  return req;
}
