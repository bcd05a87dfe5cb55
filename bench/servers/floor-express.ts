/**
 * Floor 2: the naive Express proxy of issue 7. Express 5 + express.json +
 * undici + res.json; streams are piped chunk by chunk. No auth, no
 * validation, no accounting: the cost of the framework and one parse and
 * one stringify each way.
 */
import { createServer } from "node:http";
import express from "express";
import { Agent, request } from "undici";
import { serveBenchChild } from "./serve-bench-child.js";

const upstream = `${process.argv[2]}/chat/completions`;
const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 128 });

const app = express();
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
serveBenchChild(createServer(app), "floor-express");
