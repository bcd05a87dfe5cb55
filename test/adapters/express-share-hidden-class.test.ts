import type { IncomingMessage, ServerResponse } from "node:http";
import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import { expressGateway } from "modelmux/express";

/**
 * The Express adapter turns the `req` and `res` it serves into dictionaries
 * by deleting one of Node's own fields (`req.method`, `res.sendDate`) and
 * putting it back (see `shareHiddenClass`). The fields must come back as
 * they were, and a field another middleware redefined must be left alone.
 */
describe("expressGateway's hidden-class step", () => {
  let gateway: Gateway;
  let key: string;
  beforeAll(async () => {
    gateway = createGateway({ providers: { mock: { type: "mock" } }, store: ":memory:" });
    await gateway.ready();
    ({ key } = await gateway.keys.create({ credits: 100 }));
  });
  afterAll(() => gateway.close());

  const chat = (app: express.Express) =>
    request(app).post("/v1/chat/completions").set("authorization", `Bearer ${key}`).send({ model: "mock/echo", messages: [{ role: "user", content: "hi" }] });

  it("puts req.method and res.sendDate back as plain fields with their values", async () => {
    let seen: [IncomingMessage, ServerResponse] | undefined;
    const app = express();
    app.use((req, res, next) => {
      seen = [req, res];
      next();
    });
    app.use("/v1", expressGateway(gateway));
    const res = await chat(app);
    expect(res.status).toBe(200);
    expect(res.headers.date).toBeDefined();
    const [req, out] = seen!;
    expect(Object.getOwnPropertyDescriptor(req, "method")).toEqual({ value: "POST", writable: true, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(out, "sendDate")).toEqual({ value: true, writable: true, enumerable: true, configurable: true });
  });

  it("leaves a field another middleware redefined as it is, and still serves the request", async () => {
    let seen: IncomingMessage | undefined;
    const app = express();
    app.use((req, _res, next) => {
      const method = req.method;
      Object.defineProperty(req, "method", { get: () => method, enumerable: true, configurable: true });
      seen = req;
      next();
    });
    app.use("/v1", expressGateway(gateway));
    const res = await chat(app);
    expect(res.status).toBe(200);
    const d = Object.getOwnPropertyDescriptor(seen!, "method")!;
    expect(typeof d.get).toBe("function");
    expect(seen!.method).toBe("POST");
  });
});
