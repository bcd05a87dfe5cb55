/**
 * Run with `node --trace-gc-nvp --import tsx`: an Express 5 app with one
 * JSON route, on a plain server or (argument `preset`) on one from
 * createServerOptions, answers 1000 requests to warm up, prints "measure",
 * then answers `count` more over one keep-alive connection. V8 prints a
 * line per collection; the parent sums what the scavenges after "measure"
 * promoted.
 */
import { createServer, Agent, request, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createServerOptions } from "modelmux/express";

const preset = process.argv[2] === "preset";
const count = Number(process.argv[3] ?? 3000);
const app = express();
app.post("/echo", express.json(), (req, res) => void res.json({ got: req.body }));
const listener = app as unknown as RequestListener;
const server = preset ? createServer(createServerOptions(app), listener) : createServer(listener);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const body = JSON.stringify({ pad: "x".repeat(600), n: 1 });
const once = () =>
  new Promise<void>((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path: "/echo", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", reject);
    req.end(body);
  });
for (let i = 0; i < 1000; i++) await once();
console.log("measure");
for (let i = 0; i < count; i++) await once();
agent.destroy();
server.close();
console.log("done");
