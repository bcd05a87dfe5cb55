/**
 * The floors' request handler: the request bytes go upstream as they are and
 * the answer's bytes come back as they are (no parse, no auth, no
 * accounting). floor-node runs it on bare node:http, express-raw inside
 * Express.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, request } from "undici";

export function passthrough(upstreamBase: string): (req: IncomingMessage, res: ServerResponse) => void {
  const upstream = `${upstreamBase}/chat/completions`;
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  return (req, res) => {
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
  };
}
