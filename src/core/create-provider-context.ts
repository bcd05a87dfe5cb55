import type { ProviderContext } from "../providers/provider.js";
import type { GatewayRuntime } from "./gateway-runtime.js";

/** The per-attempt context handed to a provider; warnings are collected for the response header and hook. */
export function createProviderContext(
  rt: GatewayRuntime,
  requestId: string,
  signal: AbortSignal,
  warnings: string[],
  where: { provider: string; model: string },
): ProviderContext {
  return {
    transport: rt.transport,
    signal,
    requestId,
    now: rt.now,
    firstByteMs: rt.timeouts.firstByteMs || undefined,
    idleMs: rt.timeouts.idleMs || undefined,
    warn(param, reason) {
      if (!warnings.includes(param)) warnings.push(param);
      void Promise.resolve()
        .then(() => rt.hooks.onWarning?.({ requestId, provider: where.provider, model: where.model, param, reason }))
        .catch(() => undefined);
    },
  };
}
