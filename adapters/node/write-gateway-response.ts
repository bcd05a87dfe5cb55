import type { ServerResponse } from "node:http";
import type { GatewayResponse } from "../../src/core/gateway-types.js";
import { mergeFields } from "../../src/core/merge-fields.js";

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
 * The SSE answer's own headers, after the gateway's (merged key by key: see
 * mergeFields). No Connection header: Node writes the right one (keep-alive,
 * or close when the client asked to close or is HTTP/1.0).
 */
const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};

/**
 * Writes a gateway answer to a Node response. JSON in one write; SSE with
 * the headers sent with the first frame (or at once if it is not ready in
 * this turn), each step of the source written as it comes (no buffering,
 * no Nagle delay), back-pressure respected, and the event source closed
 * when the client goes away.
 */
export async function writeGatewayResponse(res: ServerResponse, response: Exclude<GatewayResponse, { kind: "pass" }>): Promise<void> {
  if (response.kind === "json") {
    const body = JSON.stringify(response.body);
    res.writeHead(response.status, mergeFields(response.headers, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) }));
    res.end(body);
    return;
  }
  res.socket?.setNoDelay(true);
  res.writeHead(response.status, mergeFields(response.headers, SSE_HEADERS));
  const iterator = response.events[Symbol.asyncIterator]();
  // The headers leave with the first frame in one write: the core's first frame is ready when its answer is
  // (the first token, or a keep-alive). A source that is slower gets its headers flushed after this turn.
  const early = setImmediate(() => res.flushHeaders());
  // Each step of the source is one upstream read's frames, joined: it leaves in one write at once (no
  // buffering, no timer). A full socket buffer pauses reading from the source.
  let ended = false;
  try {
    let next = await iterator.next();
    clearImmediate(early);
    while (!next.done && !res.destroyed) {
      if (!res.write(next.value)) await waitDrainOrClose(res);
      if (res.destroyed) break;
      next = await iterator.next();
    }
    ended = next.done === true;
  } finally {
    clearImmediate(early);
    // A source that ran to its end is closed already; one left early (client gone, failure) is closed here.
    if (!ended) await iterator.return?.();
    if (!res.destroyed) res.end();
  }
}
