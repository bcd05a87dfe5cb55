import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGateway, type Gateway, type GatewayResponse } from "modelmux";
import { FakeUpstream, json, raw, sse } from "../../helpers/fake-upstream.js";
import { fixtureJson } from "../../helpers/fixtures.js";
import { expectValid, loadOpenAISpec } from "../../helpers/openapi-validator.js";

/** The OpenAI-compatible provider against a local upstream: error mapping and the bodies it sends. */
describe("openai-compatible provider: upstream failures", () => {
  let fake: FakeUpstream;
  let gateway: Gateway;
  beforeAll(async () => {
    await loadOpenAISpec();
    fake = await new FakeUpstream().start();
    gateway = createGateway({
      providers: { up: { type: "openai", baseURL: `${fake.url}/v1`, apiKey: "sk-secret-upstream", headers: { "x-org": "acme" } } },
      models: [{ id: "up/m", routes: [{ provider: "up", model: "m" }] }],
      auth: false,
      retry: { maxRetries: 0, baseDelayMs: 0 },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  const chat = (extra: Record<string, unknown> = {}) =>
    gateway.handle({ method: "POST", path: "/chat/completions", headers: { "content-type": "application/json" }, body: { model: "up/m", messages: [{ role: "user", content: "hi" }], ...extra } });
  const asJson = (r: GatewayResponse) => {
    if (r.kind !== "json") throw new Error(`expected json, got ${r.kind}`);
    return r;
  };

  it("sends the key and extra headers, never the caller's", async () => {
    fake.next(json(200, fixtureJson("openai/openai-text.json")));
    await gateway.handle({ method: "POST", path: "/chat/completions", headers: { authorization: "Bearer caller-key" }, body: { model: "up/m", messages: [{ role: "user", content: "hi" }] } });
    expect(fake.requests[0]!.headers).toMatchObject({ authorization: "Bearer sk-secret-upstream", "x-org": "acme", "content-type": "application/json" });
  });

  it.each([
    ["a 400 about the request passes its message and param on", 400, { error: { message: "Invalid 'temperature'", type: "invalid_request_error", param: "temperature", code: "invalid_value" } }, 400, "invalid_value", "Invalid 'temperature'"],
    ["a 401 (our credentials) is hidden behind a 503", 401, { error: { message: "Incorrect API key provided: sk-secr***", type: "invalid_request_error", code: "invalid_api_key" } }, 503, undefined, undefined],
    ["a 500 is a 502 without internals", 500, { error: { message: "db connection pool exhausted at 10.0.0.3" } }, 502, "upstream_error", undefined],
    ["an empty 500 body is a clean 502", 500, "", 502, undefined, undefined],
    ["an HTML 502 body is a clean 502", 502, "<html><body>Bad gateway</body></html>", 502, undefined, undefined],
    ["a context-length 400 is context_length_exceeded", 400, { error: { message: "This model's maximum context length is 8192 tokens", code: "context_length_exceeded", type: "invalid_request_error" } }, 400, "context_length_exceeded", "maximum context length"],
  ])("%s", async (_label, upstreamStatus, body, status, code, message) => {
    fake.next(typeof body === "string" ? raw(upstreamStatus, body, { "content-type": "text/html" }) : json(upstreamStatus, body));
    const res = asJson(await chat());
    expect(res.status).toBe(status);
    expectValid("ErrorResponse", res.body);
    const err = (res.body as { error: { code: string; message: string } }).error;
    if (code) expect(err.code).toBe(code);
    if (message) expect(err.message).toContain(message);
    expect(err.message).not.toContain("sk-secr");
    expect(err.message).not.toContain("10.0.0.3");
  });

  it("relays a 429 with its retry-after header", async () => {
    fake.next(json(429, { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }, { "retry-after": "20", "x-ratelimit-remaining-requests": "0" }));
    const res = asJson(await chat());
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("20");
    expect(res.headers["x-ratelimit-remaining-requests"]).toBe("0");
  });

  it("a 200 body that is not JSON is a clean 502", async () => {
    fake.next(raw(200, "not json at all", { "content-type": "application/json" }));
    const res = asJson(await chat());
    expect(res.status).toBe(502);
    expect((res.body as { error: { code: string } }).error.code).toBe("upstream_bad_response");
  });

  it("a refused connection is a 503/502 without the address", async () => {
    const dead = createGateway({ providers: { up: { type: "openai", baseURL: "http://127.0.0.1:9/v1" } }, models: [{ id: "up/m", routes: [{ provider: "up", model: "m" }] }], auth: false, retry: { maxRetries: 0, baseDelayMs: 0 } });
    const res = await dead.handle({ method: "POST", path: "/chat/completions", headers: {}, body: { model: "up/m", messages: [{ role: "user", content: "hi" }] } });
    expect(res.kind === "json" && res.status >= 502 && res.status <= 503).toBe(true);
    expect(JSON.stringify((res as { body: unknown }).body)).not.toContain("127.0.0.1");
    await dead.close();
  });

  it("a stream cut before its finish reason ends with an error event and [DONE], never a clean end", async () => {
    const payload = (content: string) => JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] });
    fake.next(sse([payload("a"), payload("b"), payload("c")], { done: false }));
    const res = await chat({ stream: true });
    expect(res.kind).toBe("stream");
    const frames: string[] = [];
    for await (const f of (res as { events: AsyncIterable<string> }).events) frames.push(f);
    const data = frames.join("").split("\n\n").filter((f) => f.startsWith("data: ")).map((f) => f.slice(6));
    expect(data.at(-1)).toBe("[DONE]");
    const error = data.map((d) => (d === "[DONE]" ? {} : (JSON.parse(d) as { error?: unknown }))).find((d) => d.error);
    expect(error).toBeDefined();
    expectValid("ErrorResponse", error);
  });
});
