import OpenAI, { APIError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import { FakeUpstream } from "../helpers/fake-upstream.js";
import { fixtureCassette, fixtureChunks, fixtureJson } from "../helpers/fixtures.js";
import { listen, variant } from "../helpers/http-apps.js";
import { cassette, chunks, jsonFixture, sentBodies } from "../helpers/openai-replay.js";
import { expectValid, loadOpenAISpec } from "../helpers/openapi-validator.js";

const KEY = "sk-e2e-sdk-client-key-01";
const UPSTREAM_KEY = "sk-upstream-only";
const CHAT = "/v1/chat/completions";

type Body = Record<string, unknown>;
const cassetteRequest = (rel: string, i: number) => fixtureCassette(rel)[i]!.request.parsed_body as Body;

/**
 * The official `openai` SDK against a real listening Express server whose
 * upstream is a local OpenAI-compatible fake replaying the recordings in
 * ../shared/fixtures/upstream/openai.
 */
describe("e2e: openai SDK -> Express -> modelmux -> recorded OpenAI upstream", () => {
  let fake: FakeUpstream;
  let gateway: Gateway;
  let server: Awaited<ReturnType<typeof listen>>;
  let client: OpenAI;

  beforeAll(async () => {
    await loadOpenAISpec();
    fake = await new FakeUpstream().start();
    const route = (model: string) => ({ id: `openai/${model}`, pricing: { prompt: "1", completion: "2" }, routes: [{ provider: "openai", model }] });
    gateway = createGateway({
      providers: { openai: { type: "openai", baseURL: `${fake.url}/v1`, apiKey: UPSTREAM_KEY }, mock: { type: "mock" } },
      models: [route("gpt-4.1-nano"), route("gpt-4o-mini"), route("gpt-4o"), route("o3-mini"), route("o1-mini"), route("gpt-5.2-proo")],
      keys: [KEY],
      retry: { maxRetries: 0, baseDelayMs: 0 },
    });
    server = await listen(variant("express5").create(gateway));
    client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 10_000 });
  });
  afterAll(async () => {
    await server.close();
    await gateway.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  const lastSent = () => sentBodies(fake, CHAT).at(-1)!;

  it("non-streaming: relays the answer, renames the model, strips gateway-only fields", async () => {
    const recorded = fixtureJson<{ choices: Array<{ message: { content: string } }>; usage: { prompt_tokens: number; completion_tokens: number } }>("openai/openai-text.json");
    fake.next(jsonFixture("openai/openai-text.json"));
    const res = await client.chat.completions.create({
      model: "openai/gpt-4.1-nano",
      messages: [{ role: "user", content: "Invent a new holiday and describe its traditions." }],
      // Gateway-only fields, sent through the SDK as extra body params.
      ...({ models: ["openai/gpt-4.1-nano"], route: "fallback", provider: { allow_fallbacks: true } } as object),
    });
    expectValid("CreateChatCompletionResponse", res);
    expect(res.model).toBe("openai/gpt-4.1-nano");
    expect(res.choices[0]!.message.content).toBe(recorded.choices[0]!.message.content);
    const usage = res.usage as OpenAI.CompletionUsage & { cost: number };
    expect(usage).toMatchObject({ prompt_tokens: recorded.usage.prompt_tokens, completion_tokens: recorded.usage.completion_tokens });
    expect(usage.cost).toBeCloseTo((recorded.usage.prompt_tokens * 1 + recorded.usage.completion_tokens * 2) / 1e6, 9);
    const sent = lastSent();
    expect(sent.model).toBe("gpt-4.1-nano");
    for (const field of ["models", "route", "provider", "stream_options"]) expect(sent).not.toHaveProperty(field);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it("streaming with `stream: true`: every chunk, usage once on the last chunk", async () => {
    const lines = fixtureChunks("openai/openai-text.chunks.txt").map((l) => JSON.parse(l) as { choices: Array<{ delta: { content?: string } }>; usage: OpenAI.CompletionUsage | null });
    fake.next(chunks("openai/openai-text.chunks.txt"));
    const stream = await client.chat.completions.create({ model: "openai/gpt-4.1-nano", messages: [{ role: "user", content: "Invent a holiday" }], stream: true });
    const received: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) received.push(chunk);
    for (const c of received) expectValid("CreateChatCompletionStreamResponse", c);
    const text = received.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? "")).join("");
    expect(text).toBe(lines.flatMap((l) => l.choices.map((c) => c.delta.content ?? "")).join(""));
    const withUsage = received.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(received.at(-1)).toBe(withUsage[0]);
    expect(withUsage[0]!.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 300, total_tokens: 316 });
    expect(lastSent()).toMatchObject({ model: "gpt-4.1-nano", stream: true, stream_options: { include_usage: true } });
  });

  it("streaming with the chat.completions.stream() helper: finalChatCompletion", async () => {
    fake.next(chunks("openai/openai-text.chunks.txt"));
    const runner = client.chat.completions.stream({ model: "openai/gpt-4.1-nano", messages: [{ role: "user", content: "Invent a holiday" }] });
    let deltas = "";
    runner.on("content", (delta) => (deltas += delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(deltas);
    expect(final.choices[0]!.message.content).toMatch(/^\*\*Holiday Name/);
    expect(final.choices[0]!.finish_reason).toBe("stop");
    expect(final.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 300 });
    expect(final.model).toBe("openai/gpt-4.1-nano");
  });

  it("tools round trip, streamed (recorded two-turn tool-call stream)", async () => {
    const rel = "openai/test_run_stream_sync_streams_real_model.yaml";
    const turn1 = cassetteRequest(rel, 0);
    const turn2 = cassetteRequest(rel, 1);
    fake.next(cassette(rel, 0)).next(cassette(rel, 1));
    const first = await client.chat.completions
      .stream({ model: "openai/gpt-4o-mini", messages: turn1.messages as OpenAI.ChatCompletionMessageParam[], tools: turn1.tools as OpenAI.ChatCompletionTool[], tool_choice: "auto" })
      .finalChatCompletion();
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call).toMatchObject({ id: "call_ZR5UUuTt3pf61kjwAJIYdVMj", type: "function", function: { name: "get_capital" } });
    expect(JSON.parse(call.function.arguments)).toEqual({ country: "UK" });
    expect(first.usage).toMatchObject({ prompt_tokens: 53, completion_tokens: 15 });
    expect(sentBodies(fake, CHAT)[0]).toMatchObject({ model: "gpt-4o-mini", tools: turn1.tools, tool_choice: "auto", stream: true });

    const recordedToolMessage = (turn2.messages as Body[])[2]!;
    const second = await client.chat.completions
      .stream({
        model: "openai/gpt-4o-mini",
        messages: [
          ...(turn1.messages as OpenAI.ChatCompletionMessageParam[]),
          // As a client sends it back (the stream helper adds a client-side `parsed_arguments`).
          { role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }] },
          { role: "tool", tool_call_id: call.id, content: recordedToolMessage.content as string },
        ],
        tools: turn1.tools as OpenAI.ChatCompletionTool[],
      })
      .finalChatCompletion();
    expect(second.choices[0]!.finish_reason).toBe("stop");
    expect(second.choices[0]!.message.content).toBeTruthy();
    const sent2 = sentBodies(fake, CHAT)[1]!;
    const sentMessages = sent2.messages as Body[];
    expect(sentMessages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(sentMessages[1]!.tool_calls).toEqual((turn2.messages as Body[])[1]!.tool_calls);
    expect(sentMessages[2]).toMatchObject({ role: "tool", tool_call_id: "call_ZR5UUuTt3pf61kjwAJIYdVMj" });
  });

  it("parallel tool calls, non-streamed, and both results sent back", async () => {
    const rel = "openai/test_dbos_agent_with_hitl_tool.yaml";
    const turn1 = cassetteRequest(rel, 0);
    const turn2 = cassetteRequest(rel, 1);
    fake.next(cassette(rel, 0)).next(cassette(rel, 1));
    const first = await client.chat.completions.create({ model: "openai/gpt-4o", messages: turn1.messages as OpenAI.ChatCompletionMessageParam[], tools: turn1.tools as OpenAI.ChatCompletionTool[] });
    expectValid("CreateChatCompletionResponse", first);
    const calls = first.choices[0]!.message.tool_calls as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((c) => [c.id, c.function.name])).toEqual([
      ["call_jYdIdRZHxZTn5bWCq5jlMrJi", "delete_file"],
      ["call_TmlTVWQbzrXCZ4jNsCVNbNqu", "create_file"],
    ]);
    const second = await client.chat.completions.create({ model: "openai/gpt-4o", messages: turn2.messages as OpenAI.ChatCompletionMessageParam[], tools: turn1.tools as OpenAI.ChatCompletionTool[] });
    expectValid("CreateChatCompletionResponse", second);
    expect(second.choices[0]!.message.content).toContain("deleted");
    const sent = sentBodies(fake, CHAT)[1]!;
    expect((sent.messages as Body[]).filter((m) => m.role === "tool").map((m) => m.tool_call_id)).toEqual(["call_jYdIdRZHxZTn5bWCq5jlMrJi", "call_TmlTVWQbzrXCZ4jNsCVNbNqu"]);
  });

  it("parallel tool calls, streamed: indexes 0 and 1 kept apart", async () => {
    const rel = "openai/test_complex_agent_run.yaml";
    const turn1 = cassetteRequest(rel, 0);
    fake.next(cassette(rel, 0));
    const stream = await client.chat.completions.create({ model: "openai/gpt-4o", messages: turn1.messages as OpenAI.ChatCompletionMessageParam[], tools: turn1.tools as OpenAI.ChatCompletionTool[], stream: true });
    const received: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) received.push(c);
    for (const c of received) expectValid("CreateChatCompletionStreamResponse", c);
    const byIndex = new Map<number, { id?: string; name?: string; args: string }>();
    for (const c of received) {
      for (const d of c.choices[0]?.delta.tool_calls ?? []) {
        const acc = byIndex.get(d.index) ?? { args: "" };
        if (d.id) acc.id = d.id;
        if (d.function?.name) acc.name = d.function.name;
        acc.args += d.function?.arguments ?? "";
        byIndex.set(d.index, acc);
      }
    }
    expect([...byIndex.keys()]).toEqual([0, 1]);
    expect([...byIndex.values()].map((c) => c.name)).toEqual(["get_country", "get_product_name"]);
    for (const c of byIndex.values()) expect(() => JSON.parse(c.args)).not.toThrow();
    expect(received.filter((c) => c.usage)).toHaveLength(1);
    expect(received.at(-1)!.usage).toMatchObject({ prompt_tokens: 364, completion_tokens: 40 });
  });

  it("logprobs are requested and relayed", async () => {
    const request = fixtureJson<Body>("openai/logprobsParam/request.json");
    const recorded = fixtureJson<{ choices: Array<{ logprobs: unknown }> }>("openai/logprobsParam/response.json");
    fake.next(jsonFixture("openai/logprobsParam/response.json"));
    const res = await client.chat.completions.create({ ...(request as object), model: "openai/gpt-4o-mini" } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expectValid("CreateChatCompletionResponse", res);
    expect(res.choices[0]!.logprobs).toEqual(recorded.choices[0]!.logprobs);
    expect(lastSent()).toMatchObject({ logprobs: true, top_logprobs: 2, model: "gpt-4o-mini" });
  });

  it("sends max_completion_tokens, not max_tokens, to an o-series model", async () => {
    fake.next(cassette("openai/test_max_completion_tokens[o3-mini].yaml"));
    const res = await client.chat.completions.create({ model: "openai/o3-mini", messages: [{ role: "user", content: "hello" }], max_tokens: 100 });
    const sent = lastSent();
    expect(sent.max_completion_tokens).toBe(100);
    expect(sent).not.toHaveProperty("max_tokens");
    expect(sent.model).toBe("o3-mini");
    expect(res.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 87, completion_tokens_details: { reasoning_tokens: 64 } });
    // Reasoning tokens are inside completion_tokens: billed once, at the completion price.
    expect((res.usage as unknown as { cost: number }).cost).toBeCloseTo((7 * 1 + 87 * 2) / 1e6, 9);
  });

  it("passes the upstream's 400 about the caller's request on, as the SDK's APIError", async () => {
    fake.next(cassette("openai/test_openai_o1_mini_system_role[developer].yaml"));
    const error = await client.chat.completions
      .create({ model: "openai/o1-mini", messages: [{ role: "developer", content: "You are a helpful assistant." }, { role: "user", content: "Hello" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const e = error as APIError;
    expect(e.status).toBe(400);
    expect(e.code).toBe("unsupported_value");
    expect(e.param).toBe("messages[0].role");
    expect(e.message).toContain("does not support 'developer'");
    expectValid("ErrorResponse", { error: e.error });
    expect(e.headers?.get("x-request-id")).toBeTruthy();
  });

  it("turns an upstream model-not-found 404 into a 404 model_not_found", async () => {
    fake.next(cassette("openai/test_model_name_suggestion[openai-chat].yaml"));
    const error = (await client.chat.completions.create({ model: "openai/gpt-5.2-proo", messages: [{ role: "user", content: "hello" }] }).catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe("model_not_found");
    expectValid("ErrorResponse", { error: error.error });
  });

  it("answers an unknown model and a bad key with typed SDK errors", async () => {
    const missing = (await client.chat.completions.create({ model: "mock/echoo", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e)) as APIError;
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.code).toBe("model_not_found");
    expect(missing.message).toContain("mock/echo");
    const anonymous = new OpenAI({ apiKey: "sk-wrong-key-for-sure", baseURL: `${server.url}/v1`, maxRetries: 0 });
    const denied = (await anonymous.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e)) as APIError;
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(denied.status).toBe(401);
    expect(denied.code).toBe("invalid_api_key");
    expect(fake.requests).toHaveLength(0);
  });

  it("json_schema response_format: structured output that parses", async () => {
    const schema = { type: "object", properties: { city: { type: "string" }, population: { type: "integer" } }, required: ["city", "population"], additionalProperties: false };
    const res = await client.chat.completions.create({
      model: "mock/echo",
      messages: [{ role: "user", content: "Largest city in the UK?" }],
      response_format: { type: "json_schema", json_schema: { name: "city", schema, strict: true } },
    });
    expectValid("CreateChatCompletionResponse", res);
    const parsed = JSON.parse(res.choices[0]!.message.content!) as { city: unknown; population: unknown };
    expect(typeof parsed.city).toBe("string");
    expect(Number.isInteger(parsed.population)).toBe(true);

    fake.next(jsonFixture("openai/openai-text.json"));
    await client.chat.completions.create({ model: "openai/gpt-4.1-nano", messages: [{ role: "user", content: "x" }], response_format: { type: "json_schema", json_schema: { name: "city", schema, strict: true } } });
    expect(lastSent().response_format).toEqual({ type: "json_schema", json_schema: { name: "city", schema, strict: true } });
  });

  it("tools round trip on the mock model (non-streamed)", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    const first = await client.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content: "Weather in Paris?" }], tools });
    const call = first.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.function.name).toBe("get_weather");
    const second = await client.chat.completions.create({
      model: "mock/echo",
      messages: [{ role: "user", content: "Weather in Paris?" }, first.choices[0]!.message as OpenAI.ChatCompletionMessageParam, { role: "tool", tool_call_id: call.id, content: "sunny, 21C" }],
      tools,
    });
    expect(second.choices[0]!.message.content).toContain("sunny, 21C");
  });

  it("models.list() and models.retrieve()", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) {
      expectValid("Model", m);
      ids.push(m.id);
    }
    expect(ids).toEqual(expect.arrayContaining(["mock/echo", "openai/gpt-4.1-nano", "openai/o3-mini"]));
    const one = await client.models.retrieve("mock/echo");
    expectValid("Model", one);
    expect(one).toMatchObject({ id: "mock/echo", object: "model", owned_by: "mock" });
    const missing = (await client.models.retrieve("mock/nope").catch((e: unknown) => e)) as APIError;
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
