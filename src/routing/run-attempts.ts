import type { Cancel } from "../core/cancel.js";
import { abortReason } from "../core/request-signal.js";
import { GatewayError } from "../errors/gateway-error.js";
import { noRouteAvailable } from "../errors/errors.js";
import type { AttemptRecord } from "../stores/store.js";
import { AttemptsExhausted } from "./attempts-exhausted.js";
import type { BackoffOptions } from "./compute-backoff.js";
import type { Candidate } from "./plan-candidates.js";
import type { RouteHealth } from "./route-health.js";
import { startLane, type Lane, type LaneOutcome } from "./start-lane.js";

export { AttemptsExhausted } from "./attempts-exhausted.js";

export interface RunOptions extends BackoffOptions {
  maxRetries: number;
  health: RouteHealth;
  now: () => number;
  random: () => number;
  /** Aborts everything: the client went away or the total deadline passed (its reason is the error). */
  cancel: Cancel;
}

export interface AttemptSuccess<T> {
  value: T;
  candidate: Candidate;
  /** Every try in start order: route, status, error code, latency, retry number. */
  attempts: AttemptRecord[];
}

/** One try of one route. Resolves only once the answer is committed to (for streams: the first chunk). `cancel` aborts with the request or a lost hedge. */
export type AttemptFn<T> = (candidate: Candidate, cancel: Cancel) => Promise<T>;

type Event<T> = { lane: Lane<T>; outcome: LaneOutcome<T> } | "hedge" | "aborted";

const hedgeLost = () => new GatewayError({ status: 499, code: "hedge_lost", message: "Another route answered first" });

/**
 * Tries the candidates in order, each with bounded retries (a lane), and
 * the pure fallback decision between them, until the first byte of an
 * answer. Hedging (opt-in per model, `hedgeAfterMs`): when the only lane
 * has not answered after the delay, the next candidate starts too; the
 * first to answer wins and the other is aborted (its upstream connection
 * closed) and recorded as `hedge_lost`. Never more than two lanes at once.
 */
export async function runAttempts<T>(candidates: Candidate[], attempt: AttemptFn<T>, opts: RunOptions): Promise<AttemptSuccess<T>> {
  const attempts: AttemptRecord[] = [];
  const lanes = new Set<Lane<T>>();
  const hedged = new WeakSet<Lane<T>>();
  let cursor = 0;
  let minContext = 0;
  let last: GatewayError | undefined;
  const inOrder = () => attempts.sort((a, b) => a.startedAt - b.startedAt);
  const cancelAll = (why: GatewayError) => {
    for (const lane of lanes) lane.cancel(why);
    lanes.clear();
  };
  /** Index of the next candidate worth trying (a context-length failure skips models no larger). */
  const peek = () => {
    let i = cursor;
    while (i < candidates.length && candidates[i]!.model.context_length <= minContext) i++;
    return i;
  };
  /** `hedge`: started beside a running lane. A lane that may race another gets a Cancel of its own. */
  const launch = (hedge = false): boolean => {
    const i = peek();
    cursor = i + 1;
    if (i >= candidates.length) return false;
    const candidate = candidates[i]!;
    lanes.add(startLane(candidate, attempt, opts, attempts, hedge || candidate.model.hedgeAfterMs !== undefined));
    return true;
  };

  let stopListening: (() => void) | undefined;
  const aborted = new Promise<"aborted">((resolve) => {
    if (opts.cancel.aborted) resolve("aborted");
    else stopListening = opts.cancel.onAbort(() => resolve("aborted"));
  });
  try {
    for (;;) {
      if (lanes.size === 0 && !launch()) break;
      const event = await nextEvent(lanes, hedged, peek() < candidates.length, aborted, opts.health);
      if (event === "aborted") {
        const why = abortReason(opts.cancel);
        cancelAll(why);
        throw new AttemptsExhausted(why, inOrder());
      }
      if (event === "hedge") {
        for (const lane of lanes) hedged.add(lane);
        launch(true);
        continue;
      }
      const { lane, outcome } = event;
      lanes.delete(lane);
      if (outcome.ok) {
        // Only build the error (a stack capture) when a hedge is actually running.
        if (lanes.size > 0) cancelAll(hedgeLost());
        opts.health.recordSuccess(lane.candidate.route.key, outcome.latencyMs);
        return { value: outcome.value, candidate: lane.candidate, attempts: inOrder() };
      }
      if ("cancelled" in outcome) continue;
      last = outcome.error;
      if (outcome.decision === "stop") {
        cancelAll(last);
        throw new AttemptsExhausted(last, inOrder());
      }
      if (outcome.decision === "next_larger_context") minContext = Math.max(minContext, lane.candidate.model.context_length);
    }
  } finally {
    stopListening?.();
  }
  if (!last) throw noRouteAvailable("No route is available for the requested model(s)");
  // Hide our own credential and network problems; a caller's fault or a rate limit keeps its status.
  if (last.upstream?.kind === "auth" || last.upstream?.kind === "connection") {
    throw new AttemptsExhausted(noRouteAvailable("Every route for the requested model(s) failed", last), inOrder());
  }
  throw new AttemptsExhausted(last, inOrder());
}

/** The next thing that happens: a lane ends, the hedge delay of the only lane passes, or the request is aborted. */
/** The hedge delay of a lane's model: fixed, or its route's measured p95 time to first token (none until measured). */
function hedgeDelayOf<T>(lane: Lane<T>, health: RouteHealth): number | undefined {
  const setting = lane.candidate.model.hedgeAfterMs;
  return setting === "p95" ? health.p95Of(lane.candidate.route.key) : setting;
}

async function nextEvent<T>(lanes: Set<Lane<T>>, hedged: WeakSet<Lane<T>>, haveNext: boolean, aborted: Promise<"aborted">, health: RouteHealth): Promise<Event<T>> {
  const racers: Array<Promise<Event<T>>> = [...lanes].map((lane) => lane.outcome.then((outcome) => ({ lane, outcome })));
  racers.push(aborted);
  let timer: NodeJS.Timeout | undefined;
  const only = lanes.size === 1 ? [...lanes][0]! : undefined;
  const hedgeAfterMs = only && hedgeDelayOf(only, health);
  if (only && hedgeAfterMs !== undefined && haveNext && !hedged.has(only)) {
    const delay = Math.max(0, only.startedAt + hedgeAfterMs - performance.now());
    racers.push(new Promise((resolve) => (timer = setTimeout(() => resolve("hedge"), delay))));
  }
  try {
    return await Promise.race(racers);
  } finally {
    clearTimeout(timer);
  }
}
