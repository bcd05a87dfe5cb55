import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import { buildMockAnswer } from "../../../src/providers/mock/build-mock-answer.js";
import type { ChatRequest } from "../../../src/schemas/chat-request-schema.js";
import { expectValid, loadOpenAISpec } from "../../helpers/openapi-validator.js";

const req = (extra: Partial<ChatRequest> & Record<string, unknown> = {}): ChatRequest => ({ model: "mock/echo", messages: [{ role: "user", content: "hello world" }], ...extra }) as ChatRequest;
const ids = (i: number) => `call_${i}`;
const weather = { type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" }, units: { enum: ["c", "f"] } } } } };

describe("buildMockAnswer", () => {
  it.each([
    ["echoes the last user message", req(), { content: "hello world", finish: "stop", toolCalls: [] }],
    ["reports a tool result", req({ messages: [{ role: "tool", tool_call_id: "c", content: "21C" }] }), { content: "Tool result: 21C", finish: "stop" }],
    ["calls the first tool", req({ tools: [weather] }), { content: null, finish: "tool_calls", toolCalls: [{ id: "call_0", type: "function", function: { name: "get_weather", arguments: JSON.stringify({ city: "hello world", days: 42, units: "c" }) } }] }],
    ["does not call a tool with tool_choice none", req({ tools: [weather], tool_choice: "none" }), { content: "hello world", finish: "stop" }],
    ["answers JSON for json_object", req({ response_format: { type: "json_object" } }), { content: '{"echo":"hello world"}' }],
    ["follows a json_schema", req({ response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { ok: { type: "boolean" }, tags: { type: "array", items: { type: "string" } } } } } } }), { content: '{"ok":true,"tags":["hello world"]}' }],
    ["stops at max_tokens words with finish length", req({ messages: [{ role: "user", content: "one two three four" }], max_tokens: 2 }), { content: "one two ", finish: "length" }],
    ["an empty message", req({ messages: [{ role: "user", content: "" }] }), { content: "(empty)" }],
    ["image parts are named", req({ messages: [{ role: "user", content: [{ type: "text", text: "see" }, { type: "image_url", image_url: { url: "data:," } }] }] }), { content: "see [image_url]" }],
  ])("%s", (_label, request, expected) => {
    expect(buildMockAnswer(request, ids)).toMatchObject(expected);
  });
});

describe("mock provider through the gateway", () => {
  let gateway: Gateway;
  beforeAll(async () => {
    await loadOpenAISpec();
    gateway = createGateway({ providers: { mock: { type: "mock" } }, auth: false });
  });
  afterAll(() => gateway.close());

  const handle = (body: Record<string, unknown>, headers: Record<string, string> = {}) => gateway.handle({ method: "POST", path: "/chat/completions", headers, body });

  it("serves mock/echo free and mock/echo-priced with a cost", async () => {
    const free = await handle({ model: "mock/echo", messages: [{ role: "user", content: "abcd efgh" }] });
    const priced = await handle({ model: "mock/echo-priced", messages: [{ role: "user", content: "abcd efgh" }] });
    expect(free.kind === "json" && free.status).toBe(200);
    expectValid("CreateChatCompletionResponse", (free as { body: unknown }).body);
    expect((free as { body: { usage: { cost: number } } }).body.usage.cost).toBe(0);
    const u = (priced as { body: { usage: { prompt_tokens: number; completion_tokens: number; cost: number } } }).body.usage;
    expect(u.cost).toBeCloseTo((u.prompt_tokens * 1 + u.completion_tokens * 2) / 1e6, 12);
    expect(u.cost).toBeGreaterThan(0);
  });

  it("is deterministic: same request id, same tool-call id", async () => {
    const body = { model: "mock/echo", messages: [{ role: "user", content: "x" }], tools: [weather] };
    const a = (await handle(body, { "x-request-id": "same-id" })) as { body: { choices: Array<{ message: { tool_calls: Array<{ id: string }> } }> } };
    const b = (await handle(body, { "x-request-id": "same-id" })) as typeof a;
    expect(a.body.choices[0]!.message.tool_calls[0]!.id).toBe(b.body.choices[0]!.message.tool_calls[0]!.id);
  });

  it("streams its tool call as id/name then arguments, with usage last", async () => {
    const res = await handle({ model: "mock/echo", messages: [{ role: "user", content: "x" }], tools: [weather], stream: true });
    const frames: string[] = [];
    for await (const f of (res as { events: AsyncIterable<string> }).events) frames.push(f);
    const events = frames.join("").split("\n\n").filter((f) => f.startsWith("data: {")).map((f) => JSON.parse(f.slice(6)) as Record<string, unknown>);
    for (const e of events) expectValid("CreateChatCompletionStreamResponse", e);
    const deltas = events.flatMap((e) => (e.choices as Array<{ delta: { tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }> } }>).flatMap((c) => c.delta.tool_calls ?? []));
    expect(deltas[0]).toMatchObject({ function: { name: "get_weather", arguments: "" } });
    expect(deltas[0]!.id).toMatch(/^call_/);
    expect(JSON.parse(deltas.map((d) => d.function?.arguments ?? "").join(""))).toMatchObject({ city: "x" });
    expect(events.filter((e) => e.usage)).toHaveLength(1);
    expect(events.at(-1)!.usage).toBeTruthy();
  });

  it("honours latencyMs and stops when the caller aborts", async () => {
    const slow = createGateway({ providers: { mock: { type: "mock", latencyMs: 5000 } }, auth: false });
    const controller = new AbortController();
    const started = Date.now();
    const pending = slow.handle({ method: "POST", path: "/chat/completions", headers: {}, body: { model: "mock/echo", messages: [{ role: "user", content: "x" }] }, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.kind).toBe("json");
    expect((res as { status: number }).status).toBeGreaterThanOrEqual(400);
    await slow.close();
  });
});
