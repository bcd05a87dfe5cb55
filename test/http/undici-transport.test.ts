import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors/gateway-error.js";
import { createUndiciTransport } from "../../src/http/transport.js";
import { FakeUpstream } from "../helpers/fake-upstream.js";

/** The default transport against a local upstream: body delivery, back-pressure, early exits and failures. */
describe("undici transport (dispatch API)", () => {
  const upstream = new FakeUpstream();
  const transport = createUndiciTransport({ connectMs: 2000 });
  const post = (path: string, signal = new AbortController().signal, extra: { firstByteMs?: number; idleMs?: number } = {}) =>
    transport({ url: `${upstream.url}${path}`, method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}', signal, ...extra });

  beforeAll(async () => {
    await upstream.start();
    upstream.on("/json", (req, res) => {
      res.writeHead(201, { "content-type": "application/json", "x-seen": req.body });
      res.end('{"ok":true,"text":"héllo"}');
    });
    upstream.on("/chunks", async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 0; i < 5; i++) {
        res.write(`data: ${i}\n\n`);
        await new Promise((r) => setTimeout(r, 5));
      }
      res.end();
    });
    upstream.on("/big", (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const write = (n: number): void => {
        if (n === 0 || res.destroyed) return void res.end();
        if (res.write(Buffer.alloc(64 * 1024, 120))) write(n - 1);
        else res.once("drain", () => write(n - 1));
      };
      write(64); // 4 MiB
    });
    upstream.on("/hang", (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
    });
    upstream.on("/cut", (req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      setTimeout(() => res.socket?.destroy(), 10);
    });
  });
  afterAll(() => upstream.stop());

  it("sends the request and reads status, headers and the whole body as text", async () => {
    const res = await post("/json");
    expect(res.status).toBe(201);
    expect(res.headers["x-seen"]).toBe('{"a":1}');
    expect(JSON.parse(await res.text())).toEqual({ ok: true, text: "héllo" });
  });

  it("iterates the body in order, nothing lost or repeated", async () => {
    const res = await post("/chunks");
    let text = "";
    for await (const chunk of res.body) text += Buffer.from(chunk).toString();
    expect(text).toBe([0, 1, 2, 3, 4].map((i) => `data: ${i}\n\n`).join(""));
  });

  it("pauses a fast upstream while the consumer is not reading, and delivers every byte after", async () => {
    const res = await post("/big");
    const it = res.body[Symbol.asyncIterator]();
    const first = await it.next();
    let total = first.done ? 0 : first.value.length;
    // The consumer stalls: the upstream must be held off, not buffered whole in memory.
    await new Promise((r) => setTimeout(r, 200));
    const held = await it.next();
    expect(held.done).toBe(false);
    expect(held.value!.length).toBeLessThan(1024 * 1024);
    total += held.value!.length;
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      total += next.value.length;
    }
    expect(total).toBe(4 * 1024 * 1024);
  });

  it("closes the upstream connection when the consumer stops early", async () => {
    const before = upstream.closedAt.length;
    const res = await post("/hang");
    const it = res.body[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    await it.return!();
    await expect.poll(() => upstream.closedAt.length, { timeout: 2000, interval: 10 }).toBeGreaterThan(before);
  });

  it("dump() releases a body nobody wants", async () => {
    const res = await post("/big");
    await res.dump();
    const after = await post("/json");
    expect(after.status).toBe(201);
    await after.dump();
  });

  it("an abort before the headers rejects with the signal's reason", async () => {
    const controller = new AbortController();
    const pending = post("/never", controller.signal);
    upstream.on("/never", () => undefined);
    const reason = new GatewayError({ status: 499, code: "client_closed", message: "gone" });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("an abort during the body ends the iteration with the reason and closes the upstream", async () => {
    const controller = new AbortController();
    const before = upstream.closedAt.length;
    const res = await post("/hang", controller.signal);
    const it = res.body[Symbol.asyncIterator]();
    await it.next();
    const reason = new GatewayError({ status: 408, code: "request_timeout", message: "deadline" });
    setTimeout(() => controller.abort(reason), 5);
    await expect(it.next()).rejects.toBe(reason);
    await expect.poll(() => upstream.closedAt.length, { timeout: 2000, interval: 10 }).toBeGreaterThan(before);
  });

  it("an already aborted signal never reaches the network", async () => {
    const count = upstream.requests.length;
    await expect(post("/json", AbortSignal.abort(new GatewayError({ status: 499, code: "client_closed", message: "gone" })))).rejects.toMatchObject({ code: "client_closed" });
    expect(upstream.requests.length).toBe(count);
  });

  it("a connection cut mid-body is a retryable typed error, after the bytes that came", async () => {
    const res = await post("/cut");
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of res.body) seen.push(Buffer.from(chunk).toString());
      })(),
    ).rejects.toMatchObject({ status: 502, isRetryable: true });
    expect(seen.join("")).toBe("data: first\n\n");
  });

  it("an unreachable upstream is a typed 502, a slow one a typed 408", async () => {
    const closed = new FakeUpstream();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    await expect(transport({ url: `${url}/x`, method: "POST", headers: {}, body: "{}", signal: new AbortController().signal })).rejects.toMatchObject({
      status: 502,
      code: "upstream_unreachable",
    });
    upstream.on("/slow", () => undefined);
    await expect(post("/slow", new AbortController().signal, { firstByteMs: 50 })).rejects.toMatchObject({ status: 408, code: "upstream_timeout" });
  });

  it("a bad URL is a typed error, not a throw", async () => {
    await expect(transport({ url: "not a url", method: "GET", headers: {}, signal: new AbortController().signal })).rejects.toBeInstanceOf(GatewayError);
  });
});

