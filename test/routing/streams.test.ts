import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../helpers/fake-upstream.js";
import { appFor, chat, fault, faultGateway, generation, KEY, msg, parseEvents, sleep, startUpstreams, type GatewayOpts } from "./fault-upstream.js";

let ups: Record<string, FakeUpstream>;
beforeAll(async () => (ups = await startUpstreams("a", "b")));
afterAll(async () => Promise.all(Object.values(ups).map((u) => u.stop())));
beforeEach(() => Object.values(ups).forEach((u) => u.reset()));

const model = { id: "test/chat", pricing: { prompt: "1", completion: "2" }, routes: [{ provider: "a", model: "a-model" }, { provider: "b", model: "b-model", priority: 1 }] };
const setup = (extra: Partial<GatewayOpts> = {}) => {
  const gateway = faultGateway(ups, { models: [model], timeouts: { firstByteMs: 300, idleMs: 200 }, ...extra });
  return { gateway, app: appFor(gateway) };
};
const words = ["one", "two", "three", "four", "five", "six"];

describe("after the first byte: never a silent end (Portkey #1797)", () => {
  it.each([
    ["cut (socket destroyed, no [DONE])", "cut", "upstream_unreachable"],
    ["hang mid-stream (idle gap)", "hang", "upstream_timeout"],
    ["invalid JSON mid-stream", "invalid", "upstream_bad_response"],
    ["an error event mid-stream", "error", "upstream_error"],
  ] as const)("%s: error event, [DONE], partial usage accounted", async (_name, how, code) => {
    const { app } = setup();
    ups.a!.otherwise(fault.stream(words, { failAfter: { events: 3, how } }));
    ups.b!.otherwise(fault.ok("b should not be used"));
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    expect(res.status).toBe(200);
    const { data } = parseEvents(res.text);
    const content = data.slice(0, 3).map((d) => (JSON.parse(d) as { choices: Array<{ delta: { content: string } }> }).choices[0]!.delta.content);
    expect(content).toEqual(["one", "two", "three"]);
    const error = data.find((d) => d.startsWith("{\"error\""));
    expect(error).toBeDefined();
    expect((JSON.parse(error!) as { error: { code: string } }).error.code).toBe(code);
    expect(data.at(-1)).toBe("[DONE]");
    // Fallback is over once bytes were sent: b never called.
    expect(ups.b!.requests.length).toBe(0);
    const id = (JSON.parse(data[0]!) as { id: string }).id;
    const gen = await generation(app, id);
    expect(gen.errorCode).toBe(code);
    expect(gen.status).toBeGreaterThanOrEqual(400);
    expect(gen.cancelled).toBe(false);
    expect(gen.completionTokens).toBeGreaterThan(0);
    expect(gen.provider).toBe("a");
  });

  it("a stream cut without [DONE] but after its finish reason is whole (some compatibles omit [DONE])", async () => {
    const { app } = setup();
    ups.a!.otherwise(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "done" }, finish_reason: "stop" }] })}\n\n`);
      res.end();
    });
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    const { data } = parseEvents(res.text);
    expect(data.some((d) => d.includes("\"error\""))).toBe(false);
    expect(data.at(-1)).toBe("[DONE]");
  });
});

describe("before the first byte: fallback", () => {
  it("headers at once, then no token: the first-token limit covers headers and first token, then b", async () => {
    const { app } = setup({ retry: { maxRetries: 0 } });
    ups.a!.otherwise(fault.stream(words, { firstDelayMs: 2000 }));
    ups.b!.otherwise(fault.ok("b answered"));
    const started = Date.now();
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.headers["x-modelmux-provider"]).toBe("b");
    const first = JSON.parse(parseEvents(res.text).data[0]!) as { id: string };
    const gen = await generation(app, first.id);
    expect(gen.attempts.map((t) => [t.provider, t.errorCode])).toEqual([["a", "upstream_timeout"], ["b", null]]);
    // a's connection was closed when we gave up on it.
    await sleep(50);
    expect(ups.a!.closedAt.length).toBe(1);
  });

  it("an empty stream ([DONE] with no chunk) falls back", async () => {
    const { app } = setup({ retry: { maxRetries: 0 } });
    ups.a!.otherwise((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: [DONE]\n\n");
    });
    ups.b!.otherwise(fault.ok("b answered"));
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    expect(res.headers["x-modelmux-provider"]).toBe("b");
  });

  it("a cut before the first event falls back", async () => {
    const { app } = setup({ retry: { maxRetries: 0 } });
    ups.a!.otherwise(fault.stream(words, { failAfter: { events: 0, how: "cut" } }));
    ups.b!.otherwise(fault.ok("b answered"));
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    expect(res.headers["x-modelmux-provider"]).toBe("b");
    expect(parseEvents(res.text).data.at(-1)).toBe("[DONE]");
  });
});

describe("timeouts", () => {
  it("sends `: keep-alive` comments while waiting for the first token, then the answer", async () => {
    const { app } = setup({ keepAliveIntervalMs: 40, timeouts: { firstByteMs: 2000, idleMs: 2000 } });
    ups.a!.otherwise(fault.stream(["late", "answer"], { firstDelayMs: 300 }));
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    expect(res.status).toBe(200);
    const firstData = res.text.indexOf("data: ");
    const comments = res.text.slice(0, firstData).match(/: keep-alive\n\n/g) ?? [];
    expect(comments.length).toBeGreaterThanOrEqual(3);
    const { data } = parseEvents(res.text);
    expect(data.at(-1)).toBe("[DONE]");
    expect(data.some((d) => d.includes("\"error\""))).toBe(false);
  });

  it("keep-alive then every route failing: the committed stream ends with the error event and [DONE]", async () => {
    const { app } = setup({ keepAliveIntervalMs: 30, retry: { maxRetries: 0 }, timeouts: { firstByteMs: 150 } });
    ups.a!.otherwise(fault.hang());
    ups.b!.otherwise(fault.hang());
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    expect(res.status).toBe(200);
    const { data, comments } = parseEvents(res.text);
    expect(comments.length).toBeGreaterThan(0);
    expect((JSON.parse(data[0]!) as { error: { code: string } }).error.code).toBe("upstream_timeout");
    expect(data.at(-1)).toBe("[DONE]");
  });

  it("no hidden cap: a healthy 3 s stream (a chunk every 200 ms, idle 1 s, total 0) is never cut", async () => {
    const { app } = setup({ timeouts: { firstByteMs: 1000, idleMs: 1000, totalMs: 0 } });
    const many = Array.from({ length: 15 }, (_, i) => `w${i}`);
    ups.a!.otherwise(fault.stream(many, { delayMs: 200 }));
    const started = Date.now();
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2700);
    const { data } = parseEvents(res.text);
    const text = data.filter((d) => d.includes("\"content\"")).map((d) => (JSON.parse(d) as { choices: Array<{ delta: { content: string } }> }).choices[0]!.delta.content);
    expect(text).toEqual(many);
    expect(data.some((d) => d.includes("\"error\""))).toBe(false);
    expect(data.at(-1)).toBe("[DONE]");
    expect(ups.b!.requests.length).toBe(0);
  }, 8000);

  it("the total deadline spans every attempt: 408, attempts recorded", async () => {
    const { app, gateway } = setup({ retry: { maxRetries: 5, baseDelayMs: 10, maxDelayMs: 20 }, timeouts: { firstByteMs: 1000, totalMs: 250 } });
    ups.a!.otherwise(fault.status(503));
    ups.b!.otherwise(fault.hang());
    const started = Date.now();
    const res = await chat(app, { model: "test/chat", messages: msg });
    expect(Date.now() - started).toBeLessThan(900);
    expect(res.status).toBe(408);
    expect(res.body.error.code).toBe("request_timeout");
    const { records } = await gateway.store.listUsage({});
    expect(records[0]!.errorCode).toBe("request_timeout");
    expect(records[0]!.attempts.length).toBeGreaterThanOrEqual(3);
  });

  it("the total deadline mid-stream ends the stream with a request_timeout error event and [DONE]", async () => {
    const { app } = setup({ timeouts: { firstByteMs: 1000, idleMs: 1000, totalMs: 300 } });
    ups.a!.otherwise(fault.stream(Array.from({ length: 50 }, (_, i) => `w${i}`), { delayMs: 50 }));
    const res = await chat(app, { model: "test/chat", messages: msg, stream: true });
    const { data } = parseEvents(res.text);
    const error = data.find((d) => d.startsWith("{\"error\""));
    expect((JSON.parse(error!) as { error: { code: string } }).error.code).toBe("request_timeout");
    expect(data.at(-1)).toBe("[DONE]");
    await sleep(50);
    expect(ups.a!.closedAt.length).toBe(1);
  });
});

describe("client disconnect", () => {
  it("aborts the upstream and still accounts the tokens sent", async () => {
    const { app, gateway } = setup({ timeouts: { firstByteMs: 1000, idleMs: 1000 } });
    ups.a!.otherwise(fault.stream(Array.from({ length: 100 }, (_, i) => `w${i}`), { delayMs: 20 }));
    const server = http.createServer(app).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" } }, (res) => {
        let seen = 0;
        res.on("data", () => {
          if (++seen === 5) {
            req.destroy();
            resolve();
          }
        });
      });
      req.end(JSON.stringify({ model: "test/chat", messages: msg, stream: true }));
    });
    await sleep(150);
    server.close();
    expect(ups.a!.closedAt.length).toBe(1);
    const { records } = await gateway.store.listUsage({});
    expect(records[0]).toMatchObject({ cancelled: true, status: 499, errorCode: "client_closed", provider: "a" });
    expect(records[0]!.completionTokens).toBeGreaterThan(0);
  });

  it("while the stream is committed by keep-alives and the route is still opening: the attempt is aborted at once, 499 recorded", async () => {
    const { app, gateway } = setup({ keepAliveIntervalMs: 30, timeouts: { firstByteMs: 5000, idleMs: 5000 } });
    ups.a!.otherwise(fault.hang());
    const server = http.createServer(app).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" } }, (res) => {
        // The first keep-alive commits the stream; then the client goes away.
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.end(JSON.stringify({ model: "test/chat", messages: msg, stream: true }));
    });
    const started = Date.now();
    while (ups.a!.closedAt.length === 0 && Date.now() - started < 2000) await sleep(10);
    server.close();
    // Closed well before the 5 s first-token limit, and never tried on b.
    expect(ups.a!.closedAt.length).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ups.b!.requests.length).toBe(0);
    let records: Awaited<ReturnType<typeof gateway.store.listUsage>>["records"] = [];
    for (let i = 0; i < 50 && records.length === 0; i++) {
      ({ records } = await gateway.store.listUsage({}));
      if (records.length === 0) await sleep(10);
    }
    expect(records[0]).toMatchObject({ cancelled: true, status: 499, errorCode: "client_closed", completionTokens: 0 });
  });
});
