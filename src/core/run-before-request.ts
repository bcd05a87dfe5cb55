import { runHookBounded } from "../accounts/run-hook-bounded.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { RequestContext } from "./gateway-hooks.js";
import type { GatewayRuntime } from "./gateway-runtime.js";

/**
 * The host's beforeRequest hook, bounded: a GatewayError it throws is its
 * refusal and reaches the caller; any other throw, or a hook still running
 * after hookTimeoutMs, is reported (onError) and the request goes on
 * unchanged. Returns the body to use: the hook's replacement, or the
 * original (which the hook may have edited in place).
 */
export async function runBeforeRequest(rt: GatewayRuntime, ctx: RequestContext): Promise<Record<string, unknown>> {
  const hook = rt.hooks.beforeRequest;
  if (!hook) return ctx.body;
  const outcome = await runHookBounded("beforeRequest", () => hook(ctx), rt.hookTimeoutMs);
  if (outcome.status === "ok") {
    const value = outcome.value;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : ctx.body;
  }
  if (outcome.error instanceof GatewayError) throw outcome.error;
  reportHookFailure(rt, outcome.error, ctx.requestId);
  return ctx.body;
}

/** A failed or hung hook goes to onError (itself bounded), or to the console when there is none. */
export function reportHookFailure(rt: GatewayRuntime, error: unknown, requestId: string): void {
  if (!rt.hooks.onError) {
    console.warn(`[modelmux] hook failed (${requestId}):`, error);
    return;
  }
  void runHookBounded("onError", () => rt.hooks.onError!(error, { hook: "beforeRequest", requestId }), rt.hookTimeoutMs);
}
