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
  // Frames produced in one turn of the event loop (one upstream read) are
  // joined and leave in one write once the turn is over (setImmediate, no
  // timer), so a 22-event answer is not 22 syscalls; the very first frame
  // is written at once. A full socket buffer pauses reading from the source.
  let pending = "";
  let scheduled = false;
  let first = true;
  let drained: Promise<void> | undefined;
  const flush = () => {
    scheduled = false;
    if (pending === "" || res.destroyed) return;
    const ok = res.write(pending);
    pending = "";
    if (!ok) drained = waitDrainOrClose(res).then(() => void (drained = undefined));
  };
  try {
    for (;;) {
      if (drained) await drained;
      if (res.destroyed) break;
      const next = await iterator.next();
      if (next.done) break;
      pending += next.value;
      // The first frame goes out at once (time to first chunk); later ones are joined per turn.
      if (first || pending.length >= 65_536) {
        first = false;
        flush();
      } else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    }
    flush();
  } finally {
    await iterator.return?.();
    if (!res.destroyed) res.end();
  }
}
