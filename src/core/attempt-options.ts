import type { RunOptions } from "../routing/run-attempts.js";
import type { Cancel } from "./cancel.js";
import type { GatewayRuntime } from "./gateway-runtime.js";

/**
 * runAttempts' options for one request. Written out field by field: built
 * as a spread of `rt.retry` plus the rest, every request's object got a
 * hidden class of its own (seen in a heap snapshot), and code reading it
 * went megamorphic.
 */
export function attemptOptions(rt: GatewayRuntime, cancel: Cancel): RunOptions {
  const r = rt.retry;
  return {
    maxRetries: r.maxRetries,
    baseDelayMs: r.baseDelayMs,
    maxDelayMs: r.maxDelayMs,
    maxRetryAfterMs: r.maxRetryAfterMs,
    health: rt.health,
    now: rt.now,
    random: rt.random,
    cancel,
  };
}
