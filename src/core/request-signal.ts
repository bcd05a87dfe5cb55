import { GatewayError } from "../errors/gateway-error.js";
import { Cancel } from "./cancel.js";

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
 * signal; everything inside listens to the Cancel.
 */
export function requestSignal(callerSignal: AbortSignal | undefined, totalMs: number): RequestSignal {
  const cancel = new Cancel();
  const onAbort = () => cancel.abort(clientClosed());
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener("abort", onAbort, { once: true });
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
      callerSignal?.removeEventListener("abort", onAbort);
    },
  };
}
