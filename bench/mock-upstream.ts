/**
 * The mock upstream: an OpenAI-compatible /v1/chat/completions with no
 * delay. JSON: a fixed 617-byte chat.completion. `"stream":true`: 22 SSE
 * events, each its own write. A model name containing "slowtail" pauses
 * after the first event (TTFC probe: buffering would show as the pause).
 * "longstream" sends one content event a second for `max_tokens` seconds:
 * a healthy long stream that no hidden timeout may cut.
 */
import { createServer } from "node:http";
import { SLOWTAIL_PAUSE_MS, jsonResponseBody, sseFrames } from "./fixtures.js";
import { serveBenchChild } from "./servers/serve-bench-child.js";

const json = jsonResponseBody();
const frames = sseFrames();
const jsonHeaders = { "content-type": "application/json", "content-length": String(json.length) };
const sseHeaders = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    // Cheap checks on bytes; gateways serialise with JSON.stringify, so no spaces.
    if (body.includes('"stream":true')) {
      res.writeHead(200, sseHeaders);
      if (body.includes("longstream")) {
        const seconds = Number(/"max_tokens":(\d+)/.exec(body.toString())?.[1] ?? "180");
        res.write(frames[0]);
        let sent = 0;
        const tick = setInterval(() => {
          if (res.destroyed) return clearInterval(tick);
          if (++sent < seconds) return void res.write(frames[1]);
          clearInterval(tick);
          for (let i = frames.length - 3; i < frames.length; i++) res.write(frames[i]);
          res.end();
        }, 1000);
        return;
      }
      if (body.includes("slowtail")) {
        res.write(frames[0]);
        setTimeout(() => {
          for (let i = 1; i < frames.length; i++) res.write(frames[i]);
          res.end();
        }, SLOWTAIL_PAUSE_MS);
        return;
      }
      for (const f of frames) res.write(f);
      res.end();
      return;
    }
    res.writeHead(200, jsonHeaders);
    res.end(json);
  });
});
server.keepAliveTimeout = 65_000;
serveBenchChild(server, "mock");
