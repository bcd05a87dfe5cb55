import { GatewayError } from "../errors/gateway-error.js";

export type FailureDecision =
  /** Try the same route again (after a backoff). */
  | "retry"
  /** Move on to the next route or model. */
  | "next"
  /** Move on, and mark this route unhealthy (our credentials or account failed). */
  | "next_unhealthy"
  /** Move on only to a model with a larger context window. */
  | "next_larger_context"
  /** Answer the caller now: the request itself is at fault, or it is over. */
  | "stop";

export interface FailureContext {
  /** Retries still allowed on this route (0: none left). */
  retriesLeft: number;
  /** Longest Retry-After the gateway waits for on the same route, ms. */
  maxRetryAfterMs: number;
}

const NO_RETRY: FailureContext = { retriesLeft: 0, maxRetryAfterMs: 0 };

/**
 * The one fallback decision, over a typed error (issue 4's table):
 * connection / timeout / 408 / 409 / 425 / 429 / 5xx / 529 / bad bodies retry
 * the route while retries are left, then move on; a retired model's 404 moves
 * on without a retry (mozilla-ai/otari PR #173); 401/403 (our credentials)
 * move on and mark the route unhealthy; context length moves only to a
 * larger model; the caller's own 400 stops at once. A Retry-After longer
 * than the cap moves on at once: waiting less than asked would only earn a
 * second 429. Anything that is not an upstream failure stops (a client
 * disconnect, the total deadline, an internal error).
 */
export function decideOnFailure(error: unknown, ctx: FailureContext = NO_RETRY): FailureDecision {
  if (!(error instanceof GatewayError) || !error.upstream) return "stop";
  const up = error.upstream;
  switch (up.kind) {
    case "connection":
    case "timeout":
    case "rate_limited":
    case "overloaded":
    case "server":
    case "bad_response":
    case "conflict":
      if (ctx.retriesLeft <= 0) return "next";
      if (up.retryAfterMs !== undefined && up.retryAfterMs > ctx.maxRetryAfterMs) return "next";
      return "retry";
    case "model_not_found":
      return "next";
    case "auth":
      return "next_unhealthy";
    case "context_length":
      return "next_larger_context";
    case "bad_request":
      return "stop";
  }
}
