import type { ProviderContext } from "../providers/provider.js";
import type { Cancel } from "./cancel.js";
import { defineLazySignal } from "./define-lazy-signal.js";
import type { GatewayRuntime } from "./gateway-runtime.js";

/**
 * The per-attempt context handed to a provider; warnings are collected for
 * the response header and hook. A streamed call must show its headers
 * within the first-token limit; a non-streamed one sends its headers only
 * with the whole answer, so it gets the (longer) response limit instead,
 * or a long reasoning answer would be cut at the first-token limit.
 */
export function createProviderContext(
  rt: GatewayRuntime,
  requestId: string,
  cancel: Cancel,
  warnings: string[],
  where: { provider: string; model: string },
  mode: "stream" | "response",
): ProviderContext {
  // A real AbortSignal (`signal`) only for a reader that wants one (an injected transport, the mock provider).
  return defineLazySignal({
    transport: rt.transport,
    cancel,
    requestId,
    now: rt.now,
    firstByteMs: (mode === "stream" ? rt.timeouts.firstByteMs : rt.timeouts.responseMs) || undefined,
    idleMs: rt.timeouts.idleMs || undefined,
    warn(param: string, reason: string) {
      if (!warnings.includes(param)) warnings.push(param);
      void Promise.resolve()
        .then(() => rt.hooks.onWarning?.({ requestId, provider: where.provider, model: where.model, param, reason }))
        .catch(() => undefined);
    },
  });
}
