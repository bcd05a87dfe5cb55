import { GatewayError } from "../errors/gateway-error.js";
import { Cancel } from "./cancel.js";
import type { GatewayRequest } from "./gateway-types.js";

/** How a request's caller says it went away: the adapters' Cancel, an AbortSignal, or nothing. */
export type CallerCancel = Cancel | AbortSignal | undefined;

/** The caller's cancellation of a request: its Cancel if it has one (the adapters'), else its signal. */
export function callerOf(req: GatewayRequest): CallerCancel {
  return req.cancel ?? req.signal;
}

/** Why the request ended: our own typed reason (deadline, client_closed), or any other abort of the caller's signal as client_closed. */
export function abortReason(ended: { reason: unknown }): GatewayError {
  return ended.reason instanceof GatewayError ? ended.reason : clientClosed();
}

export interface RequestSignal {
  /** Aborts when the caller's signal does (as client_closed), at the total deadline (408), or from inside. */
  cancel: Cancel;
  /** Ends the request from inside (the stream's consumer stopped reading). */
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
 * instead of passing as a client disconnect. One listener on the caller's
 * Cancel or signal; everything inside listens to the request's Cancel.
 */
export function requestSignal(caller: CallerCancel, totalMs: number): RequestSignal {
  const cancel = new Cancel();
  const onAbort = () => cancel.abort(clientClosed());
  let stopListening: (() => void) | undefined;
  if (caller?.aborted) onAbort();
  else if (caller) stopListening = Cancel.listen(caller, onAbort);
  let timer: NodeJS.Timeout | undefined;
  if (totalMs > 0) {
    timer = setTimeout(
      () => cancel.abort(new GatewayError({ status: 408, code: "request_timeout", message: `The request did not complete within its total deadline of ${totalMs} ms`, isRetryable: true })),
      totalMs,
    );
    timer.unref?.();
  }
  return {
    cancel,
    abort: onAbort,
    dispose() {
      clearTimeout(timer);
      stopListening?.();
    },
  };
}
