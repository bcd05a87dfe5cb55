import request from "supertest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import type { FakeUpstream } from "../helpers/fake-upstream.js";
import { fixtureChunks, fixtureJson } from "../helpers/fixtures.js";
import { hostApp, listen, type AppVariant, type HostApp } from "../helpers/http-apps.js";
import { postChunked } from "../helpers/post-chunked.js";
import { installDefaultRoutes, sentBodies, startOpenAIReplay } from "../helpers/openai-replay.js";
import { expectValid, loadOpenAISpec } from "../helpers/openapi-validator.js";
import { parseSseText, textParser } from "../helpers/sse-text.js";

export const CONTRACT_KEY = "sk-contract-test-key-0001";
export const UPSTREAM_KEY = "sk-upstream-secret-never-shown";
export const CONTRACT_MAX_BODY = 48 * 1024;

/** The gateway every contract run mounts: the mock provider plus two OpenAI-compatible routes to the replaying fake. */
export function contractGateway(fake: FakeUpstream, extra: Partial<Parameters<typeof createGateway>[0]> = {}): Gateway {
  return createGateway({
    providers: {
      mock: { type: "mock" },
      up: { type: "openai", baseURL: `${fake.url}/v1`, apiKey: UPSTREAM_KEY },
      legacy: { type: "openai", baseURL: `${fake.url}/v1`, apiKey: UPSTREAM_KEY, legacyCompletions: true },
    },
    models: [
      { id: "openai/gpt-4.1-nano", pricing: { prompt: "0.10", completion: "0.40" }, routes: [{ provider: "up", model: "gpt-4.1-nano" }] },
      { id: "legacy/gpt-3.5-turbo-instruct", pricing: { prompt: "1.50", completion: "2.00" }, routes: [{ provider: "legacy", model: "gpt-3.5-turbo-instruct" }] },
    ],
    keys: [CONTRACT_KEY],
    maxBodyBytes: CONTRACT_MAX_BODY,
    retry: { maxRetries: 0, baseDelayMs: 0 },
    ...extra,
  });
}

const auth = { authorization: `Bearer ${CONTRACT_KEY}` };
const hello = [{ role: "user", content: "Hello there, gateway" }];

type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number };

function expectErrorShape(body: unknown, status: number, code?: string, param?: string | null): void {
  expectValid("ErrorResponse", body);
  const error = (body as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(typeof error.message).toBe("string");
  expect(status).toBeGreaterThanOrEqual(400);
  if (code !== undefined) expect(error.code).toBe(code);
  if (param !== undefined) expect(error.param).toBe(param);
}

/** Checks the SSE framing rules and returns the parsed chunks. */
function expectChatStream(text: string) {
  const sse = parseSseText(text);
  expect(sse.data.at(-1)).toBe("[DONE]");
  expect(sse.data.filter((d) => d === "[DONE]")).toHaveLength(1);
  const withUsage = sse.events.filter((e) => e.usage != null);
  expect(withUsage, "usage appears exactly once").toHaveLength(1);
  expect(sse.events.at(-1)).toBe(withUsage[0]);
  expect(sse.events.at(-1)!.choices).toEqual([]);
  for (const e of sse.events) {
    expect(e.error, `no error event: ${JSON.stringify(e.error)}`).toBeUndefined();
    expectValid("CreateChatCompletionStreamResponse", e);
  }
  const ids = new Set(sse.events.map((e) => e.id));
  expect(ids.size).toBe(1);
  const content = sse.events.flatMap((e) => (e.choices as Array<{ delta: { content?: string | null } }>).map((c) => c.delta.content ?? "")).join("");
  return { sse, usage: withUsage[0]!.usage as Usage, content, id: [...ids][0] as string };
}

export interface ContractApp {
  fake: FakeUpstream;
  gateway: Gateway;
  app: HostApp;
}

/** One host app per suite: the spec loaded, a replaying fake upstream, the contract gateway mounted in `v`. */
export function useContractApp(v: AppVariant): ContractApp {
  const env = {} as ContractApp;
  beforeAll(async () => {
    await loadOpenAISpec();
    env.fake = await startOpenAIReplay();
    env.gateway = contractGateway(env.fake);
    env.app = hostApp(v, env.gateway);
  });
  afterAll(async () => {
    await env.gateway.close();
    await env.fake.stop();
  });
  return env;
}

/**
 * The HTTP contract every adapter keeps, run over supertest against one
 * host app (framework x body parser). Every body is validated against the
 * official OpenAI schemas.
 */
export function describeHttpContract(v: AppVariant): void {
  describe(`HTTP contract: ${v.name}`, () => {
    const env = useContractApp(v);
    beforeEach(() => {
      env.fake.reset();
      installDefaultRoutes(env.fake);
    });

    const post = (path: string, body: unknown, headers: Record<string, string> = auth) => request(env.app).post(`/v1${path}`).set(headers).send(body as object);
    const postStream = (path: string, body: unknown) => post(path, body).buffer(true).parse(textParser);

    describe("POST /chat/completions", () => {
      it("answers a non-streamed chat from the mock model", async () => {
        const res = await post("/chat/completions", { model: "mock/echo", messages: hello });
        expect(res.status).toBe(200);
        expect(res.headers["content-type"]).toMatch(/^application\/json/);
        expectValid("CreateChatCompletionResponse", res.body);
        expect(res.body.object).toBe("chat.completion");
        expect(res.body.model).toBe("mock/echo");
        expect(res.body.choices[0].message).toMatchObject({ role: "assistant", content: "Hello there, gateway" });
        expect(res.body.usage).toMatchObject({ cost: 0 });
        expect(res.body.usage.total_tokens).toBe(res.body.usage.prompt_tokens + res.body.usage.completion_tokens);
        expect(res.body.usage.prompt_tokens_details).toHaveProperty("cached_tokens");
        expect(res.body.usage.completion_tokens_details).toHaveProperty("reasoning_tokens");
      });

      it("relays a recorded OpenAI answer, renamed to the canonical model, with cost", async () => {
        const recorded = fixtureJson<{ choices: Array<{ message: { content: string } }>; usage: Usage }>("openai/openai-text.json");
        const res = await post("/chat/completions", { model: "openai/gpt-4.1-nano", messages: hello, user: "u-1" });
        expect(res.status).toBe(200);
        expectValid("CreateChatCompletionResponse", res.body);
        expect(res.body.model).toBe("openai/gpt-4.1-nano");
        expect(res.body.choices[0].message.content).toBe(recorded.choices[0]!.message.content);
        expect(res.body.usage).toMatchObject({ prompt_tokens: recorded.usage.prompt_tokens, completion_tokens: recorded.usage.completion_tokens });
        // 0.10 and 0.40 USD per 1M tokens.
        const expected = (recorded.usage.prompt_tokens * 0.1 + recorded.usage.completion_tokens * 0.4) / 1e6;
        expect(res.body.usage.cost).toBeCloseTo(expected, 9);
        const [sent] = sentBodies(env.fake, "/v1/chat/completions");
        expect(sent).toMatchObject({ model: "gpt-4.1-nano", messages: hello, user: "u-1" });
        expect(sent).not.toHaveProperty("stream_options");
        expect(env.fake.requests[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      });

      it("streams the mock model: chunks valid, usage once on the last chunk, then [DONE]", async () => {
        const res = await postStream("/chat/completions", { model: "mock/echo", messages: hello, stream: true });
        expect(res.status).toBe(200);
        expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
        const { content, usage } = expectChatStream(res.body as string);
        expect(content).toBe("Hello there, gateway");
        expect(usage.cost).toBe(0);
      });

      it("leaves the Connection header of a stream to Node: close when the client asks to close", async () => {
        const body = { model: "mock/echo", messages: hello, stream: true };
        const closing = await post("/chat/completions", body, { ...auth, connection: "close" }).buffer(true).parse(textParser);
        expect(closing.status).toBe(200);
        expect(closing.headers.connection).toBe("close");
        expect(closing.headers["cache-control"]).toBe("no-cache, no-transform");
        const staying = await post("/chat/completions", body, { ...auth, connection: "keep-alive" }).buffer(true).parse(textParser);
        expect(staying.headers.connection).toBe("keep-alive");
      });

      it("streams a recorded OpenAI stream with its late usage-only chunk counted once", async () => {
        const lines = fixtureChunks("openai/openai-text.chunks.txt").map((l) => JSON.parse(l) as { choices: Array<{ delta: { content?: string } }>; usage: Usage | null });
        const recordedText = lines.flatMap((l) => l.choices.map((c) => c.delta.content ?? "")).join("");
        const recordedUsage = lines.at(-1)!.usage!;
        const res = await postStream("/chat/completions", { model: "openai/gpt-4.1-nano", messages: hello, stream: true, stream_options: { include_usage: false } });
        expect(res.status).toBe(200);
        const { content, usage, sse, id } = expectChatStream(res.body as string);
        expect(content).toBe(recordedText);
        expect(usage).toMatchObject({ prompt_tokens: recordedUsage.prompt_tokens, completion_tokens: recordedUsage.completion_tokens, total_tokens: recordedUsage.total_tokens });
        expect(sse.events.every((e) => e.model === "openai/gpt-4.1-nano")).toBe(true);
        const [sent] = sentBodies(env.fake, "/v1/chat/completions");
        expect(sent).toMatchObject({ model: "gpt-4.1-nano", stream: true, stream_options: { include_usage: true } });
        const record = await env.gateway.store.getUsage(id);
        expect(record).toMatchObject({ stream: true, promptTokens: recordedUsage.prompt_tokens, completionTokens: recordedUsage.completion_tokens, cancelled: false, status: 200 });
      });

      it("answers GET with 405 in the error shape", async () => {
        const res = await request(env.app).get("/v1/chat/completions").set(auth);
        expect(res.status).toBe(405);
        expectErrorShape(res.body, res.status, "method_not_allowed");
      });
    });

    describe("POST /completions", () => {
      it("translates a prompt to chat on the mock model", async () => {
        const res = await post("/completions", { model: "mock/echo", prompt: "Say this back" });
        expect(res.status).toBe(200);
        expectValid("CreateCompletionResponse", res.body);
        expect(res.body).toMatchObject({ object: "text_completion", model: "mock/echo" });
        expect(res.body.choices[0]).toMatchObject({ index: 0, text: "Say this back", finish_reason: "stop" });
        expect(res.body.usage.cost).toBe(0);
      });

      it("translates to chat for a chat-only OpenAI upstream", async () => {
        const recorded = fixtureJson<{ choices: Array<{ message: { content: string } }> }>("openai/openai-text.json");
        const res = await post("/completions", { model: "openai/gpt-4.1-nano", prompt: "Invent a holiday", max_tokens: 300 });
        expect(res.status).toBe(200);
        expectValid("CreateCompletionResponse", res.body);
        expect(res.body.choices[0].text).toBe(recorded.choices[0]!.message.content);
        expect(sentBodies(env.fake, "/v1/completions")).toHaveLength(0);
        const [sent] = sentBodies(env.fake, "/v1/chat/completions");
        expect(sent).toMatchObject({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Invent a holiday" }] });
        // gpt-4.1 is in the max_completion_tokens family (catalog guess); either name carries the limit.
        expect(sent!.max_completion_tokens ?? sent!.max_tokens).toBe(300);
        expect(sent).not.toHaveProperty("prompt");
      });

      it("is served natively where the upstream has legacy completions", async () => {
        const recorded = fixtureJson<{ choices: Array<{ text: string }>; usage: Usage }>("openai/openai-completion-text.json");
        const res = await post("/completions", { model: "legacy/gpt-3.5-turbo-instruct", prompt: "Invent a holiday", max_tokens: 16 });
        expect(res.status).toBe(200);
        expectValid("CreateCompletionResponse", res.body);
        expect(res.body).toMatchObject({ object: "text_completion", model: "legacy/gpt-3.5-turbo-instruct" });
        expect(res.body.choices[0]).toMatchObject({ text: recorded.choices[0]!.text, finish_reason: "length" });
        expect(res.body.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 16, total_tokens: 30 });
        expect(res.body.usage.cost).toBeCloseTo((14 * 1.5 + 16 * 2) / 1e6, 9);
        const [sent] = sentBodies(env.fake, "/v1/completions");
        expect(sent).toMatchObject({ model: "gpt-3.5-turbo-instruct", prompt: "Invent a holiday", max_tokens: 16 });
      });

      it("streams native legacy completions with usage once before [DONE]", async () => {
        const lines = fixtureChunks("openai/openai-completion-text.chunks.txt").map((l) => JSON.parse(l) as { choices: Array<{ text: string }> });
        const res = await postStream("/completions", { model: "legacy/gpt-3.5-turbo-instruct", prompt: "Invent a holiday", stream: true });
        expect(res.status).toBe(200);
        const sse = parseSseText(res.body as string);
        expect(sse.data.at(-1)).toBe("[DONE]");
        const usage = sse.events.filter((e) => e.usage != null);
        expect(usage).toHaveLength(1);
        expect(sse.events.at(-1)).toBe(usage[0]);
        expect(usage[0]!.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 16, total_tokens: 30 });
        const text = sse.events.flatMap((e) => (e.choices as Array<{ text: string }>).map((c) => c.text)).join("");
        expect(text).toBe(lines.flatMap((l) => l.choices.map((c) => c.text)).join(""));
        expect(sse.events.every((e) => e.object === "text_completion" && e.model === "legacy/gpt-3.5-turbo-instruct")).toBe(true);
        expect(sentBodies(env.fake, "/v1/completions")[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
      });

      it("streams translated completions from the mock model", async () => {
        const res = await postStream("/completions", { model: "mock/echo", prompt: "one two three", stream: true });
        expect(res.status).toBe(200);
        const sse = parseSseText(res.body as string);
        expect(sse.data.at(-1)).toBe("[DONE]");
        expect(sse.events.filter((e) => e.usage != null)).toHaveLength(1);
        const text = sse.events.flatMap((e) => (e.choices as Array<{ text: string }>).map((c) => c.text)).join("");
        expect(text).toBe("one two three");
      });
    });

    describe("GET /models", () => {
      it("lists the catalogue", async () => {
        const res = await request(env.app).get("/v1/models").set(auth);
        expect(res.status).toBe(200);
        expectValid("ListModelsResponse", res.body);
        const ids = (res.body.data as Array<{ id: string }>).map((m) => m.id);
        expect(ids).toEqual(expect.arrayContaining(["mock/echo", "openai/gpt-4.1-nano", "legacy/gpt-3.5-turbo-instruct"]));
        const nano = (res.body.data as Array<Record<string, unknown>>).find((m) => m.id === "openai/gpt-4.1-nano")!;
        expect(nano).toMatchObject({ pricing: { prompt: "0.10", completion: "0.40" }, is_free: false, canonical_slug: "openai/gpt-4.1-nano" });
        expect(nano.architecture).toMatchObject({ input_modalities: ["text"], output_modalities: ["text"] });
        for (const field of ["name", "created", "description", "context_length", "modalities", "top_provider", "per_request_limits", "supported_parameters", "expiration_date"]) {
          expect(nano).toHaveProperty(field);
        }
      });

      it.each([
        ["raw slash", "/v1/models/mock/echo"],
        ["%2F", "/v1/models/mock%2Fecho"],
        ["%2f lower case", "/v1/models/mock%2fecho"],
      ])("gets one model by id with a %s", async (_label, path) => {
        const res = await request(env.app).get(path).set(auth);
        expect(res.status).toBe(200);
        expectValid("Model", res.body);
        expect(res.body).toMatchObject({ id: "mock/echo", object: "model", owned_by: "mock", is_free: true });
      });

      it("answers an unknown model id with 404 model_not_found and suggestions", async () => {
        const res = await request(env.app).get("/v1/models/mock/ecko").set(auth);
        expect(res.status).toBe(404);
        expectErrorShape(res.body, res.status, "model_not_found");
        expect(res.body.error.message).toContain("mock/echo");
      });
    });

    describe("GET /key and GET /generation", () => {
      it("describes the calling key", async () => {
        const res = await request(env.app).get("/v1/key").set(auth);
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ balance: null, usage: expect.any(Object) });
      });

      it("answers 401 for /key without a key", async () => {
        const res = await request(env.app).get("/v1/key");
        expect(res.status).toBe(401);
        expectErrorShape(res.body, res.status, "invalid_api_key");
      });

      it("reports one request's stats by generation id", async () => {
        const chat = await post("/chat/completions", { model: "openai/gpt-4.1-nano", messages: hello });
        expect(chat.status).toBe(200);
        const res = await request(env.app).get(`/v1/generation?id=${encodeURIComponent(chat.body.id)}`).set(auth);
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ id: chat.body.id, model: "openai/gpt-4.1-nano", provider: "up", stream: false, cancelled: false, status: 200 });
        expect(res.body.data.usage).toMatchObject({ prompt_tokens: chat.body.usage.prompt_tokens, completion_tokens: chat.body.usage.completion_tokens });
        expect(res.body.data.usage.cost).toBeCloseTo(chat.body.usage.cost, 9);
        expect(res.body.data.attempts).toHaveLength(1);
      });

      it("needs the id parameter and 404s an unknown generation", async () => {
        const missing = await request(env.app).get("/v1/generation").set(auth);
        expect(missing.status).toBe(400);
        expectErrorShape(missing.body, missing.status, undefined, "id");
        const unknown = await request(env.app).get("/v1/generation?id=gen-doesnotexist").set(auth);
        expect(unknown.status).toBe(404);
        expectErrorShape(unknown.body, unknown.status);
      });
    });

    describe("errors", () => {
      it.each([
        ["no Authorization header", {}],
        ["an unknown key", { authorization: "Bearer sk-not-a-real-key-at-all" }],
        ["a malformed scheme", { authorization: "Basic Zm9vOmJhcg==" }],
      ])("answers 401 invalid_api_key for %s", async (_label, headers) => {
        const res = await post("/chat/completions", { model: "mock/echo", messages: hello }, headers as Record<string, string>);
        expect(res.status).toBe(401);
        expectErrorShape(res.body, res.status, "invalid_api_key");
        expect(res.body.error.type).toBe("authentication_error");
      });

      it("answers an unknown model with 404 model_not_found naming close matches", async () => {
        const res = await post("/chat/completions", { model: "mock/echoo", messages: hello });
        expect(res.status).toBe(404);
        expectErrorShape(res.body, res.status, "model_not_found", "model");
        expect(res.body.error.message).toContain("mock/echo");
      });

      // The limit holds even when the host's own body parser read the body first.
      it("answers a body over the limit with 413 in the error shape", async () => {
        const big = { model: "mock/echo", messages: [{ role: "user", content: "x".repeat(CONTRACT_MAX_BODY + 1024) }] };
        const res = await post("/chat/completions", big);
        expect(res.status).toBe(413);
        expectErrorShape(res.body, res.status, "request_too_large");
      });

      // Likewise for a host-parsed chunked body (no Content-Length).
      it("answers a chunked body over the limit (no Content-Length) with 413", async () => {
        const server = await listen(env.app);
        try {
          const text = JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content: "y".repeat(CONTRACT_MAX_BODY * 2) }] });
          const { status, body } = await postChunked(`${server.url}/v1/chat/completions`, text, { ...auth, "content-type": "application/json" });
          // With a host parser, the host read the body first (its own 1 MB limit); the gateway's limit must still hold.
          expect(status).toBe(413);
          expectErrorShape(JSON.parse(body), status, "request_too_large");
        } finally {
          await server.close();
        }
      });
    });

    describe("the host's own routes", () => {
      it("reaches a host GET route mounted beside the gateway", async () => {
        const res = await request(env.app).get("/v1/host/hello");
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ hello: true });
      });

      it("leaves a host POST body unread for the host", async () => {
        const res = await request(env.app).post("/v1/host/echo").send({ a: 1, nested: { b: [1, 2] } });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ received: { a: 1, nested: { b: [1, 2] } } });
      });

      it("does not answer unknown paths under the mount itself", async () => {
        const res = await request(env.app).get("/v1/definitely-not-a-gateway-path");
        expect(res.status).toBe(404);
        expect(res.body?.error?.code).toBeUndefined();
        const outside = await request(env.app).get("/health");
        expect(outside.body).toEqual({ ok: true });
      });
    });

    describe("x-request-id", () => {
      it("echoes the caller's id on success, stream and error", async () => {
        const ok = await post("/chat/completions", { model: "mock/echo", messages: hello }, { ...auth, "x-request-id": "client-req.42" });
        expect(ok.headers["x-request-id"]).toBe("client-req.42");
        expect(ok.body.id).not.toBe("client-req.42");
        const stream = await post("/chat/completions", { model: "mock/echo", messages: hello, stream: true }, { ...auth, "x-request-id": "client-req.43" })
          .buffer(true)
          .parse(textParser);
        expect(stream.headers["x-request-id"]).toBe("client-req.43");
        const err = await post("/chat/completions", { model: "nope/none", messages: hello }, { ...auth, "x-request-id": "client-req.44" });
        expect(err.status).toBe(404);
        expect(err.headers["x-request-id"]).toBe("client-req.44");
      });

      it("generates one when absent or unusable", async () => {
        const a = await post("/chat/completions", { model: "mock/echo", messages: hello });
        const b = await post("/chat/completions", { model: "mock/echo", messages: hello });
        expect(a.headers["x-request-id"]).toMatch(/^\S{8,}$/);
        expect(a.headers["x-request-id"]).not.toBe(b.headers["x-request-id"]);
        const bad = await post("/chat/completions", { model: "mock/echo", messages: hello }, { ...auth, "x-request-id": "has spaces <script>" });
        expect(bad.headers["x-request-id"]).not.toBe("has spaces <script>");
        expect(bad.headers["x-request-id"]).toMatch(/^\S+$/);
        const models = await request(env.app).get("/v1/models");
        expect(models.headers["x-request-id"]).toMatch(/^\S+$/);
      });
    });
  });
}
