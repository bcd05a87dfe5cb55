/**
 * Run with `node --allow-natives-syntax --import tsx`: serves JSON and
 * streamed requests with the gateway mounted in Express 5 and Express 4,
 * keeps each request's `req` and `res`, and prints, as JSON, whether two
 * requests served the same way share their hidden classes (and whether a
 * request the gateway passed on kept its own, fast ones). Each Express runs
 * on a plain server, or (argument `preset`) on one from
 * createServerOptions, whose objects keep their fast properties too and
 * the app's prototype.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express5 from "express";
import express4 from "express4";
import { createGateway } from "modelmux";
import { createServerOptions, expressGateway, type ExpressAppPrototypes } from "modelmux/express";
import { fastProperties, sameMap } from "../../helpers/v8-natives.js";


const gateway = createGateway({ providers: { mock: { type: "mock" } }, store: ":memory:" });
await gateway.ready();
const { key } = await gateway.keys.create({ credits: 100 });

const result: Record<string, boolean> = {};
// One kind of server a process: V8's cache of dictionary maps is small, and more maps in it collide more.
const preset = process.argv[2] === "preset";
for (const [name, lib] of [["express5", express5], ["express4", express4]] as const) {
  const seen = new Map<string, Array<[IncomingMessage, ServerResponse]>>();
  const app = lib();
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const kind = req.headers["x-kind"] as string;
    if (!seen.has(kind)) seen.set(kind, []);
    seen.get(kind)!.push([req, res]);
    next();
  });
  app.use("/v1", expressGateway(gateway));
  app.get("/v1/host/hello", (_req: unknown, res: { json(v: unknown): void }) => res.json({ hello: true }));
  const listener = app as unknown as RequestListener;
  const server = preset ? createServer(createServerOptions(app as unknown as ExpressAppPrototypes), listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const chat = (kind: string, stream: boolean) =>
    fetch(`${base}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-kind": kind },
      body: JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content: "hello" }], stream }),
    }).then((r) => r.text());
  for (let i = 0; i < 10; i++) {
    await chat("json", false);
    await chat("stream", true);
    await fetch(`${base}/host/hello`, { headers: { "x-kind": "passed" } }).then((r) => r.text());
  }
  server.close();
  for (const kind of ["json", "stream"]) {
    const [[req1, res1], [req2, res2]] = seen.get(kind)!.slice(-2) as [[IncomingMessage, ServerResponse], [IncomingMessage, ServerResponse]];
    result[`${name} ${kind} req`] = sameMap(req1, req2);
    result[`${name} ${kind} res`] = sameMap(res1, res2);
    if (preset) {
      // Express changed no prototype, so the adapter had nothing to repair: plain fast objects.
      result[`${name} ${kind} fast`] = fastProperties(req2) && fastProperties(res2);
      result[`${name} ${kind} prototype`] = Object.getPrototypeOf(req2) === app.request && Object.getPrototypeOf(res2) === app.response;
    }
  }
  const [[passedReq]] = seen.get("passed")!.slice(-1) as [[IncomingMessage, ServerResponse]];
  // Not served by the gateway: untouched, so Express's own objects stay as Express made them.
  result[`${name} passed req untouched`] = fastProperties(passedReq);
}
console.log(JSON.stringify(result));
await gateway.close();
