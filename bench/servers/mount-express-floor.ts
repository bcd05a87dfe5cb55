import express, { type Express } from "express";
import { Agent, request } from "undici";

/**
 * The naive Express proxy of issue 7 on `app`: express.json, then
 * POST /v1/chat/completions forwarded to `${upstreamBase}/chat/completions`
 * with undici and answered with res.json, or a stream piped chunk by chunk.
 * No auth, no validation, no accounting: the cost of the framework and one
 * parse and one stringify each way. Used by the Express floor
 * (floor-express.ts) and by the floor of `bench:ttfc-steps`.
 */
export function mountExpressFloor(app: Express, upstreamBase: string): void {
  const upstream = `${upstreamBase}/chat/completions`;
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  app.use(express.json({ limit: "10mb" }));
  app.post("/v1/chat/completions", async (req, res) => {
    try {
      const up = await request(upstream, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer x" },
        body: JSON.stringify(req.body),
        dispatcher,
      });
      if (req.body?.stream) {
        res.writeHead(up.statusCode, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
        res.flushHeaders();
        for await (const chunk of up.body) res.write(chunk);
        res.end();
        return;
      }
      res.status(up.statusCode).json(await up.body.json());
    } catch {
      if (!res.headersSent) res.status(502).json({ error: { message: "upstream failed" } });
      else res.end();
    }
  });
}
