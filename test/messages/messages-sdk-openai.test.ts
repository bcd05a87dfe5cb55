import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json, sse } from "../helpers/fake-upstream.js";
import { fixtureChunks, fixtureJson } from "../helpers/fixtures.js";
import { CALLER_KEY, OPENAI_UPSTREAM_KEY, startMessagesRig, type MessagesRig } from "./messages-server.js";

let rig: MessagesRig;
let client: Anthropic;

beforeAll(async () => {
  rig = await startMessagesRig();
  // The SDK appends /v1/messages to its baseURL: the gateway is mounted at /v1.
  client = new Anthropic({ baseURL: rig.origin, apiKey: CALLER_KEY, maxRetries: 0 });
});
afterAll(() => rig.close());
beforeEach(() => {
  rig.openai.reset();
  rig.anthropic.reset();
});

const weatherTool = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };

describe("POST /messages, Anthropic SDK, OpenAI-format upstream", () => {
  it("creates a message (non-streamed) from a chat completion", async () => {
    rig.openai.on("/v1/chat/completions", json(200, fixtureJson("openai/openai-text.json")));
    const message = await client.messages.create({
      model: "oai/gpt-4.1-nano",
      max_tokens: 500,
      system: "Be brief.",
      messages: [{ role: "user", content: "Invent a holiday" }],
      stop_sequences: ["END"],
      metadata: { user_id: "u-42" },
      // Sampling fields the installed SDK no longer types, still part of the Messages API.
      ...({ temperature: 0.5 } as object),
    });
    expect(message.type).toBe("message");
    expect(message.model).toBe("oai/gpt-4.1-nano");
    expect(message.stop_reason).toBe("end_turn");
    expect(message.content[0]).toMatchObject({ type: "text" });
    expect((message.content[0] as { text: string }).text).toContain("Galaxy Day");
    expect(message.usage).toMatchObject({ input_tokens: 16, output_tokens: 363 });

    const sent = rig.openai.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_UPSTREAM_KEY}`);
    expect(sent.json).toMatchObject({
      model: "gpt-4.1-nano",
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Invent a holiday" }],
      stop: ["END"],
      temperature: 0.5,
      user: "u-42",
    });
    const logged = await rig.gateway.store.getUsage(message.id);
    expect(logged).toMatchObject({ endpoint: "/messages", model: "oai/gpt-4.1-nano", provider: "oai", promptTokens: 16, completionTokens: 363, status: 200 });
    expect(logged!.costNano).toBeGreaterThan(0);
  });

  it("streams the Anthropic event sequence, and the stream helper assembles it", async () => {
    rig.openai.on("/v1/chat/completions", sse(fixtureChunks("openai/openai-text.chunks.txt"), { done: true }));
    const stream = client.messages.stream({ model: "oai/gpt-4.1-nano", max_tokens: 500, messages: [{ role: "user", content: "Invent a holiday" }] });
    const types: string[] = [];
    stream.on("streamEvent", (e) => types.push(e.type));
    const final = await stream.finalMessage();
    const expected = fixtureChunks("openai/openai-text.chunks.txt")
      .map((l) => JSON.parse(l) as { choices: Array<{ delta: { content?: string } }> })
      .map((c) => c.choices[0]?.delta.content ?? "")
      .join("");
    expect(final.content).toEqual([{ type: "text", text: expected }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage).toMatchObject({ input_tokens: 16, output_tokens: 300 });
    expect(types[0]).toBe("message_start");
    // The SDK does not surface `ping` as a stream event; the wire test below checks it.
    expect(types[1]).toBe("content_block_start");
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect((rig.openai.requests[0]!.json as { stream: boolean }).stream).toBe(true);
  });

  it("writes event: lines on the wire", async () => {
    rig.openai.on("/v1/chat/completions", sse(fixtureChunks("openai/openai-text.chunks.txt").slice(0, 5).concat(fixtureChunks("openai/openai-text.chunks.txt").slice(-2)), { done: true }));
    const res = await fetch(`${rig.origin}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CALLER_KEY, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "oai/gpt-4.1-nano", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await res.text();
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(text.startsWith("event: message_start\ndata: ")).toBe(true);
    expect(text).toContain("event: ping\ndata: {\"type\":\"ping\"}");
    expect(text.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
  });

  it("runs tools over several turns, streamed and not", async () => {
    // Turn 1: the model calls a tool (non-streamed).
    rig.openai.next(
      json(200, {
        id: "c1", object: "chat.completion", created: 1, model: "gpt-4.1-nano",
        choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] }, finish_reason: "tool_calls" }],
        usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40 },
      }),
    );
    const first = await client.messages.create({ model: "oai/gpt-4.1-nano", max_tokens: 200, tools: [weatherTool], tool_choice: { type: "any" }, messages: [{ role: "user", content: "Weather in Paris?" }] });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b) => b.type === "tool_use")!;
    expect(use).toMatchObject({ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } });
    expect(rig.openai.requests[0]!.json).toMatchObject({
      tools: [{ type: "function", function: { name: "get_weather", parameters: weatherTool.input_schema } }],
      tool_choice: "required",
    });

    // Turn 2: the tool result goes back; the model answers with reasoning and another call (streamed, DeepSeek chunks).
    rig.openai.next(sse(fixtureChunks("deepseek/deepseek-tool-call.chunks.txt"), { done: true }));
    const history: Anthropic.MessageParam[] = [
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "18°C, sunny" }, { type: "text", text: "And tomorrow?" }] },
    ];
    const second = await client.messages.stream({ model: "oai/gpt-4.1-nano", max_tokens: 2000, tools: [weatherTool], messages: history }).finalMessage();
    const sentMessages = (rig.openai.requests[1]!.json as { messages: unknown[] }).messages;
    expect(sentMessages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "18°C, sunny" },
      { role: "user", content: [{ type: "text", text: "And tomorrow?" }] },
    ]);
    expect(second.stop_reason).toBe("tool_use");
    expect(second.content[0]).toMatchObject({ type: "thinking" });
    const call = second.content.find((b) => b.type === "tool_use") as Anthropic.ToolUseBlock;
    expect(call.name).toBeTruthy();
    expect(typeof call.input).toBe("object");
    expect(second.usage).toMatchObject({ input_tokens: 19, cache_read_input_tokens: 320, output_tokens: 83 });

    // Turn 3: that result back, a plain answer.
    rig.openai.next(json(200, fixtureJson("openai/openai-text.json")));
    const third = await client.messages.create({
      model: "oai/gpt-4.1-nano", max_tokens: 500, tools: [weatherTool],
      messages: [...history, { role: "assistant", content: second.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: [{ type: "text", text: "rain" }], is_error: false }] }],
    });
    expect(third.stop_reason).toBe("end_turn");
    const sent3 = (rig.openai.requests[2]!.json as { messages: Array<{ role: string; tool_call_id?: string; reasoning_details?: unknown[] }> }).messages;
    expect(sent3.at(-1)).toMatchObject({ role: "tool", tool_call_id: call.id, content: "rain" });
  });

  it("answers errors in Anthropic's shape", async () => {
    const missing = await fetch(`${rig.origin}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CALLER_KEY },
      body: JSON.stringify({ model: "oai/gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("max_tokens");

    const bad = new Anthropic({ baseURL: rig.origin, apiKey: "wrong-key-000000", maxRetries: 0 });
    await expect(bad.messages.create({ model: "oai/gpt-4.1-nano", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 401, error: { type: "error", error: { type: "authentication_error" } } });
    await expect(client.messages.create({ model: "nope/none", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 404, error: { error: { type: "not_found_error" } } });

    rig.openai.on("/v1/chat/completions", json(500, { error: { message: "boom" } }));
    await expect(client.messages.create({ model: "oai/gpt-4.1-nano", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ error: { type: "error", error: { type: expect.stringMatching(/api_error|overloaded_error/) } } });
  });

  it("refuses Anthropic-only features when no Anthropic route can serve them", async () => {
    await expect(
      client.messages.create({ model: "oai/gpt-4.1-nano", max_tokens: 10, tools: [{ type: "web_search_20250305", name: "web_search" }], messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 400, error: { error: { type: "invalid_request_error" } } });
    expect(rig.openai.requests).toHaveLength(0);
  });
});
