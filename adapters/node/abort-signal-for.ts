import type { ServerResponse } from "node:http";
import { Cancel } from "../../src/core/cancel.js";
import { clientClosed } from "../../src/core/request-signal.js";

/**
 * A Cancel that aborts when the client goes away before the answer is
 * complete: the upstream call is closed with it (LiteLLM #13774). What the
 * adapters pass as `GatewayRequest.cancel`: on Node 20 it costs less than
 * an AbortSignal, and its `signal` is made only if something reads it.
 */
export function cancelFor(res: ServerResponse): Cancel {
  const cancel = new Cancel();
  res.once("close", () => {
    if (!res.writableFinished) cancel.abort(clientClosed());
  });
  return cancel;
}

/** What `cancelFor(res)` does, as an AbortSignal (its `signal`). */
export function abortSignalFor(res: ServerResponse): AbortSignal {
  return cancelFor(res).signal;
}
