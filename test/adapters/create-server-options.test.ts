import { createServer, IncomingMessage, ServerResponse, type RequestListener } from "node:http";
import express5 from "express";
import express4 from "express4";
import { createServerOptions, type ExpressAppPrototypes } from "modelmux/express";
import request from "supertest";
import { describe, expect, it } from "vitest";

type Lib = typeof express5;

describe("createServerOptions", () => {
  it("keeps the options it is given and adds the two constructors", () => {
    const app = express5();
    const opts = createServerOptions(app, { requestTimeout: 1234, joinDuplicateHeaders: true });
    expect(opts.requestTimeout).toBe(1234);
    expect(opts.joinDuplicateHeaders).toBe(true);
    expect(typeof opts.IncomingMessage).toBe("function");
    expect(typeof opts.ServerResponse).toBe("function");
    expect(createServerOptions(app).requestTimeout).toBeUndefined();
    // TLS options for https.createServer pass through (and type-check: the base is any options object).
    const tls = createServerOptions(app, { key: "KEY", cert: "CERT", requestTimeout: 5 });
    expect([tls.key, tls.cert, tls.requestTimeout]).toEqual(["KEY", "CERT", 5]);
  });

  for (const [name, lib] of [["Express 5", express5], ["Express 4", express4 as unknown as Lib]] as const) {
    it(`builds requests and responses with the app's prototype before Express sees them (${name})`, async () => {
      const app = lib();
      const seen: Array<Record<string, boolean>> = [];
      const sub = lib();
      sub.get("/who", (req, res) => void res.json({ app: req.app === sub, prototype: Object.getPrototypeOf(req) === sub.request }));
      app.use("/sub", sub);
      app.get("/who", (req, res) => {
        // After a sub-app had the request: the parent's prototype is back.
        res.json({ app: req.app === app, prototype: Object.getPrototypeOf(req) === app.request });
      });
      app.post("/echo", lib.json(), (req, res) => void res.status(201).json({ got: req.body, ip: typeof req.ip, path: req.path, query: req.query }));
      const listener: RequestListener = (req, res) => {
        seen.push({
          req: Object.getPrototypeOf(req) === app.request,
          res: Object.getPrototypeOf(res) === app.response,
          nodeReq: req instanceof IncomingMessage,
          nodeRes: res instanceof ServerResponse,
        });
        (app as unknown as RequestListener)(req, res);
      };
      const server = createServer(createServerOptions(app as unknown as ExpressAppPrototypes), listener);

      const echo = await request(server).post("/echo?x=1").send({ a: [1, 2] });
      expect(echo.status).toBe(201);
      expect(echo.body).toEqual({ got: { a: [1, 2] }, ip: "string", path: "/echo", query: { x: "1" } });
      expect((await request(server).get("/sub/who")).body).toEqual({ app: true, prototype: true });
      expect((await request(server).get("/who")).body).toEqual({ app: true, prototype: true });
      expect(seen).toHaveLength(3);
      for (const s of seen) expect(s).toEqual({ req: true, res: true, nodeReq: true, nodeRes: true });
    });
  }
});
