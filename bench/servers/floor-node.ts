/**
 * Floor 1: bare node:http + undici passthrough. The request bytes go
 * upstream as they are and the answer's bytes come back as they are: no
 * parse, no auth, no accounting. What any Node proxy pays at least.
 */
import { createServer } from "node:http";
import { Agent, request } from "undici";
import { serveBenchChild } from "./serve-bench-child.js";

const upstream = `${process.argv[2]}/chat/completions`;
const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 128 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    request(upstream, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer x" }, body, dispatcher })
      .then(async (up) => {
        res.writeHead(up.statusCode, { "content-type": String(up.headers["content-type"] ?? "application/json") });
        for await (const chunk of up.body) res.write(chunk);
        res.end();
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
});
serveBenchChild(server, "floor-node");
