import { createReporter } from "../accounts/create-reporter.js";
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
  createReporter(rt.hooks, rt.hookTimeoutMs)(outcome.error, { hook: "beforeRequest", requestId: ctx.requestId });
  return ctx.body;
}
