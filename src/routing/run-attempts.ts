import { GatewayError } from "../errors/gateway-error.js";
import { noRouteAvailable } from "../errors/errors.js";
import type { AttemptRecord } from "../stores/store.js";
import { computeBackoff, type BackoffOptions } from "./compute-backoff.js";
import { decideOnFailure } from "./decide-on-failure.js";
import type { Candidate } from "./plan-candidates.js";
import type { RouteHealth } from "./route-health.js";

export interface RunOptions extends BackoffOptions {
  maxRetries: number;
  health: RouteHealth;
  now: () => number;
  random: () => number;
  /** Aborts everything: the client went away or the total deadline passed. */
  signal: AbortSignal;
}

export interface AttemptSuccess<T> {
  value: T;
  candidate: Candidate;
  attempts: AttemptRecord[];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Thrown when every candidate failed; carries the attempts for the usage log. */
export class AttemptsExhausted extends GatewayError {
  constructor(
    last: GatewayError,
    readonly attempts: AttemptRecord[],
  ) {
    super({
      status: last.status,
      code: last.code,
      type: last.type,
      message: last.message,
      param: last.param,
      headers: last.headers,
      upstream: last.upstream,
      expose: last.expose,
      cause: last,
    });
  }
}

function asGatewayError(error: unknown, signal: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal.aborted) {
    return new GatewayError({ status: 408, code: "request_timeout", message: "The request was aborted or timed out", cause: error, expose: true });
  }
  return new GatewayError({ status: 500, code: "internal_error", message: "Internal error", cause: error });
}

/**
 * Tries the candidates in order with bounded retries per route, and the
 * fallback decision between them. `attempt` must resolve only once the
 * answer is committed to (for streams: the first chunk arrived), so that
 * fallback stays possible until the first byte is sent.
 */
export async function runAttempts<T>(
  candidates: Candidate[],
  attempt: (candidate: Candidate, attemptSignal: AbortSignal) => Promise<T>,
  opts: RunOptions,
): Promise<AttemptSuccess<T>> {
  const attempts: AttemptRecord[] = [];
  let last: GatewayError | undefined;
  let minContext = 0;
  for (const candidate of candidates) {
    if (candidate.model.context_length <= minContext) continue;
    for (let retry = 0; ; retry++) {
      const startedAt = opts.now();
      try {
        const value = await attempt(candidate, opts.signal);
        attempts.push({ provider: candidate.route.provider, model: candidate.route.model, status: 200, errorCode: null, latencyMs: opts.now() - startedAt, retries: retry, startedAt });
        opts.health.recordSuccess(candidate.route.key, opts.now() - startedAt);
        return { value, candidate, attempts };
      } catch (error) {
        const err = asGatewayError(error, opts.signal);
        last = err;
        attempts.push({ provider: candidate.route.provider, model: candidate.route.model, status: err.upstream?.status ?? err.status, errorCode: err.code, latencyMs: opts.now() - startedAt, retries: retry, startedAt });
        if (opts.signal.aborted) throw new AttemptsExhausted(err, attempts);
        const decision = decideOnFailure(err);
        if (decision === "stop") throw new AttemptsExhausted(err, attempts);
        await opts.health.recordFailure(candidate.route.key, decision === "next_unhealthy");
        if (decision === "next_larger_context") minContext = Math.max(minContext, candidate.model.context_length);
        if (decision === "retry" && retry < opts.maxRetries) {
          await sleep(computeBackoff(retry, err.upstream?.retryAfterMs, opts, opts.random), opts.signal).catch(() => undefined);
          if (opts.signal.aborted) throw new AttemptsExhausted(err, attempts);
          continue;
        }
        break;
      }
    }
  }
  if (!last) throw noRouteAvailable("No route is available for the requested model(s)");
  // Hide our own credential problems; a caller's fault or a rate limit keeps its status.
  if (last.upstream?.kind === "auth" || last.upstream?.kind === "connection") {
    throw new AttemptsExhausted(noRouteAvailable("Every route for the requested model(s) failed", last), attempts);
  }
  throw new AttemptsExhausted(last, attempts);
}
