import { Cancel } from "../core/cancel.js";
import { abortReason } from "../core/request-signal.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { AttemptRecord } from "../stores/store.js";
import { computeBackoff } from "./compute-backoff.js";
import { decideOnFailure, type FailureDecision } from "./decide-on-failure.js";
import type { Candidate } from "./plan-candidates.js";
import type { AttemptFn, RunOptions } from "./run-attempts.js";
import { waitOrAbort } from "./wait-or-abort.js";

export type LaneOutcome<T> =
  | { ok: true; value: T; latencyMs: number }
  | { ok: false; error: GatewayError; decision: FailureDecision }
  | { ok: false; cancelled: true };

/** One route being tried, with its own retries; hedging runs two at once. */
export interface Lane<T> {
  candidate: Candidate;
  /** performance.now() when the lane started (hedge timing only). */
  startedAt: number;
  outcome: Promise<LaneOutcome<T>>;
  /** Stops the lane: the try in flight is aborted (its upstream connection closed) and recorded with `why`. */
  cancel(why: GatewayError): void;
}

/** Any failure as a typed error; once the request itself is over, its own reason (deadline or disconnect) wins. */
function toAttemptError(error: unknown, request: Cancel): GatewayError {
  if (request.aborted) return abortReason(request);
  if (error instanceof GatewayError) return error;
  return new GatewayError({ status: 500, code: "internal_error", message: "Internal error", cause: error });
}

/**
 * Runs one route: tries it, and on a retryable failure tries it again after
 * a backoff (exponential with jitter, or the upstream's Retry-After), as the
 * pure decision says. Every try is appended to `attempts` as it ends. The
 * lane's Cancel stays linked to the request after a success, so a caller
 * who leaves mid-stream still closes the upstream.
 */
export function startLane<T>(candidate: Candidate, attempt: AttemptFn<T>, opts: RunOptions, attempts: AttemptRecord[], own: boolean): Lane<T> {
  // `own`: the lane can lose a hedge, so it needs a Cancel of its own to be cancelled alone. Otherwise it
  // ends with the request, whose Cancel serves.
  const lane = own ? Cancel.following(opts.cancel) : undefined;
  const cancel = lane?.cancel ?? opts.cancel;
  let inFlight: { retry: number; startedAt: number } | undefined;
  let won: AttemptRecord | undefined;
  let cancelled = false;

  const record = (status: number, errorCode: string | null, retry: number, startedAt: number): AttemptRecord => {
    const r = { provider: candidate.route.provider, model: candidate.route.model, status, errorCode, latencyMs: opts.now() - startedAt, retries: retry, startedAt };
    attempts.push(r);
    return r;
  };

  async function run(): Promise<LaneOutcome<T>> {
    for (let retry = 0; ; retry++) {
      const startedAt = opts.now();
      inFlight = { retry, startedAt };
      let error: GatewayError;
      try {
        const value = await attempt(candidate, cancel);
        inFlight = undefined;
        // A loser that answered anyway: its Cancel is aborted, which closes whatever it opened.
        if (cancelled) return { ok: false, cancelled: true };
        won = record(200, null, retry, startedAt);
        return { ok: true, value, latencyMs: opts.now() - startedAt };
      } catch (e) {
        inFlight = undefined;
        if (cancelled) return { ok: false, cancelled: true };
        error = toAttemptError(e, opts.cancel);
      }
      record(error.upstream?.status ?? error.status, error.code, retry, startedAt);
      if (opts.cancel.aborted) return { ok: false, error, decision: "stop" };
      const decision = decideOnFailure(error, { retriesLeft: opts.maxRetries - retry, maxRetryAfterMs: opts.maxRetryAfterMs });
      if (decision !== "stop") await opts.health.recordFailure(candidate.route.key, pauseFor(error, decision));
      if (decision !== "retry") return { ok: false, error, decision };
      try {
        await waitOrAbort(computeBackoff(retry, error.upstream?.retryAfterMs, opts, opts.random), cancel);
      } catch {
        if (cancelled) return { ok: false, cancelled: true };
        return { ok: false, error: toAttemptError(error, opts.cancel), decision: "stop" };
      }
    }
  }

  const outcome = lane
    ? run().then((o) => {
        if (!o.ok) lane.unlink();
        return o;
      })
    : run();
  return {
    candidate,
    startedAt: performance.now(),
    outcome,
    cancel(why) {
      if (cancelled) return;
      cancelled = true;
      if (inFlight) record(why.status, why.code, inFlight.retry, inFlight.startedAt);
      else if (won) won.errorCode = why.code;
      if (lane) {
        lane.unlink();
        lane.cancel.abort(why);
      }
    },
  };
}

/** Cool a route at once for our credentials (the store's cooldown), or for as long as a 429 asked when that is past the retry cap. */
function pauseFor(error: GatewayError, decision: FailureDecision): "unhealthy" | number | undefined {
  if (decision === "next_unhealthy") return "unhealthy";
  const after = error.upstream?.retryAfterMs;
  if (decision === "next" && error.upstream?.kind === "rate_limited" && after !== undefined) return after;
  return undefined;
}
