import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import { expressGateway } from "modelmux/express";
import { FakeUpstream, json, sse } from "../helpers/fake-upstream.js";

/** PITFALLS: rate-limit headers lost or renamed, especially on streams (LiteLLM #21553, #27748). */
const upstreamHeaders = { "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "42", "x-ratelimit-reset-requests": "120ms", "x-request-id": "upstream-own-id" };
const chunk = (delta: Record<string, unknown>, finish: string | null) =>
  JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] });

describe("upstream rate-limit headers reach the caller unchanged", () => {
  const upstream = new FakeUpstream();
  let gateway: Gateway;
  let app: express.Express;
  beforeAll(async () => {
    await upstream.start();
    gateway = createGateway({
      providers: { up: { type: "openai", baseURL: `${upstream.url}/v1`, apiKey: "k" } },
      models: [{ id: "up/m", routes: [{ provider: "up", model: "m" }] }],
      auth: false,
    });
    app = express();
    app.use("/v1", expressGateway(gateway));
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });
  const ask = (stream: boolean) => request(app).post("/v1/chat/completions").send({ model: "up/m", stream, messages: [{ role: "user", content: "hi" }] });

  it("on a JSON answer", async () => {
    upstream.next(json(200, { id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }, upstreamHeaders));
    const res = await ask(false);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "42", "x-ratelimit-reset-requests": "120ms" });
    // Our own request id, not the upstream's.
    expect(res.headers["x-request-id"]).not.toBe("upstream-own-id");
  });

  it("on a stream", async () => {
    upstream.next(sse([chunk({ role: "assistant", content: "" }, null), chunk({ content: "ok" }, null), chunk({}, "stop")], { done: true, headers: upstreamHeaders }));
    const res = await ask(true);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/event-stream");
    expect(res.headers).toMatchObject({ "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "42", "x-ratelimit-reset-requests": "120ms" });
  });
});
