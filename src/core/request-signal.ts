import { GatewayError } from "../errors/gateway-error.js";

const noop = () => undefined;

/** Why the request ended: our own typed reason (deadline, client_closed), or any other abort of the caller's signal as client_closed. */
export function abortReason(signal: AbortSignal): GatewayError {
  return signal.reason instanceof GatewayError ? signal.reason : clientClosed();
}

export interface RequestSignal {
  signal: AbortSignal;
  /** Ends the request from inside (the stream's consumer stopped reading); a no-op unless `endedFromInside`. */
  abort(): void;
  dispose(): void;
}

/** The abort reason when the caller went away: logged as 499, never sent (nobody is listening). */
export function clientClosed(): GatewayError {
  return new GatewayError({ status: 499, code: "client_closed", message: "The client closed the request" });
}

/**
 * The caller's abort signal joined with the total deadline across all
 * attempts (0: no deadline, so long healthy streams live; LiteLLM #30836).
 * The abort reason is a typed error, so a passed deadline answers 408
 * instead of passing as a client disconnect.
 */
export function requestSignal(callerSignal: AbortSignal | undefined, totalMs: number, endedFromInside = true): RequestSignal {
  // Nothing to join and nobody inside ends it: the caller's own signal serves (an AbortController and a
  // listener less per request). Its reason, whatever it is, reads as client_closed (see abortReason).
  if (!endedFromInside && callerSignal && totalMs <= 0) return { signal: callerSignal, abort: noop, dispose: noop };
  const controller = new AbortController();
  const onAbort = () => controller.abort(clientClosed());
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  if (totalMs > 0) {
    timer = setTimeout(
      () => controller.abort(new GatewayError({ status: 408, code: "request_timeout", message: `The request did not complete within its total deadline of ${totalMs} ms`, isRetryable: true })),
      totalMs,
    );
    timer.unref?.();
  }
  return {
    signal: controller.signal,
    abort: onAbort,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onAbort);
    },
  };
}
