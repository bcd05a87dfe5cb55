import type { ServerResponse } from "node:http";
import type { GatewayResponse } from "../../src/core/gateway-types.js";

function waitDrainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * Writes a gateway answer to a Node response. JSON in one write; SSE with
 * headers flushed at once, each event written as it comes (no buffering,
 * no Nagle delay), back-pressure respected, and the event source closed
 * when the client goes away.
 */
export async function writeGatewayResponse(res: ServerResponse, response: Exclude<GatewayResponse, { kind: "pass" }>): Promise<void> {
  if (response.kind === "json") {
    const body = JSON.stringify(response.body);
    res.writeHead(response.status, { ...response.headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.socket?.setNoDelay(true);
  res.writeHead(response.status, {
    ...response.headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.flushHeaders();
  const iterator = response.events[Symbol.asyncIterator]();
  // Events produced in one turn of the event loop (one upstream read) leave
  // in one syscall: cork on the first, uncork once the turn is over. No
  // timer, so the first event is not held back.
  let corked = false;
  const uncork = () => {
    corked = false;
    if (!res.destroyed) res.uncork();
  };
  try {
    for (;;) {
      if (res.destroyed) break;
      const next = await iterator.next();
      if (next.done) break;
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(uncork);
      }
      if (!res.write(next.value)) await waitDrainOrClose(res);
    }
  } finally {
    await iterator.return?.();
    if (!res.destroyed) res.end();
  }
}
