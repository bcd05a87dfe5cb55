import type { ServerResponse } from "node:http";

/**
 * An AbortSignal that fires when the client goes away before the answer
 * is complete: the upstream call is aborted with it (LiteLLM #13774).
 */
export function abortSignalFor(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new Error("client closed the connection"));
  });
  return controller.signal;
}
