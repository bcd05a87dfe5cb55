import { GatewayError } from "../errors/gateway-error.js";

export type FailureDecision =
  /** Try the same route again (after a backoff). */
  | "retry"
  /** Move on to the next route or model. */
  | "next"
  /** Move on, and mark this route unhealthy (our credentials failed). */
  | "next_unhealthy"
  /** Move on only to a model with a larger context window. */
  | "next_larger_context"
  /** Answer the caller now: the request itself is at fault. */
  | "stop";

/**
 * The one fallback decision, over a typed error (issue 4's table):
 * connection/timeout/408/409/425/429/5xx/529/404-model retry or move on;
 * 401/403 move on and mark unhealthy; context length moves to a larger
 * model; the caller's own 400 stops at once. A retired model's 404 is a
 * reason to fall back (mozilla-ai/otari PR #173), but not to retry.
 */
export function decideOnFailure(error: unknown): FailureDecision {
  if (!(error instanceof GatewayError) || !error.upstream) return "stop";
  switch (error.upstream.kind) {
    case "connection":
    case "timeout":
    case "rate_limited":
    case "overloaded":
    case "server":
    case "bad_response":
    case "conflict":
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
