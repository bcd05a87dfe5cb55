import { createServer } from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, nodeGateway, stripMountPrefix, type Gateway } from "modelmux";

describe("stripMountPrefix", () => {
  it.each([
    ["/v1", "/v1/models", "/models"],
    ["/v1", "/v1", "/"],
    ["/v1", "/v1?x=1", "?x=1"],
    ["/v1", "/v10/models", undefined],
    ["/v1", "/other", undefined],
    ["", "/models", "/models"],
    ["", "", "/"],
    ["/v1/", "/v1/models", "/models"],
    ["/v1//", "/v1", "/"],
    ["/", "/models", "/models"],
  ])("prefix %j, url %j -> %j", (prefix, url, path) => {
    expect(stripMountPrefix(prefix, url)).toBe(path);
  });
});

describe("nodeGateway on bare node:http", () => {
  const KEY = "sk-node-gateway-test-key-01";
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = createGateway({ providers: { mock: { type: "mock" } }, keys: [KEY], store: ":memory:" });
    await gateway.ready();
  });
  afterAll(() => gateway.close());

  it("serves the gateway under its prefix, and answers anything else with a 404 in the gateway's error shape", async () => {
    const server = createServer(nodeGateway(gateway, { prefix: "/v1/" }));
    const models = await request(server).get("/v1/models").set("authorization", `Bearer ${KEY}`);
    expect(models.status).toBe(200);
    expect(models.body.object).toBe("list");
    const chat = await request(server).post("/v1/chat/completions").set("authorization", `Bearer ${KEY}`).send({ model: "mock/echo", messages: [{ role: "user", content: "hi" }] });
    expect(chat.status).toBe(200);
    expect(chat.body.usage.cost).toBeTypeOf("number");
    for (const path of ["/v1/not-a-gateway-path", "/v10/models", "/health"]) {
      const res = await request(server).get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.body.error).toMatchObject({ code: "not_found", type: "not_found_error", message: `No such endpoint: GET ${path}` });
    }
  });

  it("hands what it does not own to next, untouched", async () => {
    const handle = nodeGateway(gateway, { prefix: "/v1" });
    const server = createServer((req, res) =>
      handle(req, res, () => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => res.end(JSON.stringify({ host: req.url, body: Buffer.concat(chunks).toString() })));
      }),
    );
    const res = await request(server).post("/v1/host/echo").send({ a: 1 });
    expect(JSON.parse(res.text)).toEqual({ host: "/v1/host/echo", body: '{"a":1}' });
  });

  it("counts failed authentication per address as clientAddress reads it", async () => {
    const server = createServer(nodeGateway(gateway, { prefix: "/v1", clientAddress: (req) => String(req.headers["x-test-address"]) }));
    const wrong = (address: string) => request(server).get("/v1/key").set("authorization", "Bearer mm_wrongwrongwrongwrongwrongwrong1").set("x-test-address", address);
    // The gateway's limit: 30 failures per address per minute.
    for (let i = 0; i < 30; i++) expect((await wrong("10.0.0.1")).status).toBe(401);
    expect((await wrong("10.0.0.1")).status).toBe(429);
    expect((await wrong("10.0.0.2")).status).toBe(401);
  });
});
