import { afterAll, beforeAll, beforeEach, describe, it, expect } from "vitest";
import { createAnthropicProvider } from "../../../src/providers/anthropic/create-anthropic-provider.js";
import { FakeUpstream, raw, sse, type Handler } from "../../helpers/fake-upstream.js";
import { fixtureCassette, fixtureChunks } from "../../helpers/fixtures.js";
import { NOW, collect, joinDetails, makeCall, makeCtx, type Collected } from "./anthropic-test-helpers.js";

const upstream = new FakeUpstream();
let provider: ReturnType<typeof createAnthropicProvider>;

beforeAll(async () => {
  await upstream.start();
  provider = createAnthropicProvider("anthropic", { apiKey: "sk-ant-test", baseURL: `${upstream.url}/`, version: "2023-06-01" });
});
afterAll(() => upstream.stop());
beforeEach(() => upstream.reset());

async function stream(handler: Handler, body: Record<string, unknown> = { messages: [{ role: "user", content: "Hi" }] }): Promise<Collected> {
  upstream.next(handler);
  const { chunks } = await provider.chatStream(makeCall({ ...body, stream: true }), makeCtx());
  return collect(chunks);
}

const replay = (file: string) => sse(fixtureChunks(`anthropic/${file}`), { eventNames: true, headers: { "anthropic-ratelimit-tokens-remaining": "1000" } });

/** Checks every chunk's envelope, the role on the first, and usage once on the last. */
function expectWellFormed(out: Collected, id: string, model: string): void {
  expect(out.chunks.length).toBeGreaterThan(1);
  for (const c of out.chunks) expect(c).toMatchObject({ id, object: "chat.completion.chunk", created: Math.floor(NOW / 1000), model });
  expect(out.chunks[0]!.choices[0]!.delta.role).toBe("assistant");
  expect(out.role).toBe("assistant");
  expect(out.usageAt).toEqual([out.chunks.length - 1]);
  expect(out.chunks[out.chunks.length - 1]!.choices[0]!.finish_reason).not.toBeNull();
  expect(out.chunks.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
}

describe("anthropic provider: streams replayed from recorded .chunks.txt files", () => {
  it("anthropic-text.chunks.txt: text, usage from message_start + message_delta; outgoing body and headers", async () => {
    upstream.next(replay("anthropic-text.chunks.txt"));
    const { chunks, headers } = await provider.chatStream(makeCall({ messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } }), makeCtx());
    const out = await collect(chunks);
    expect(headers).toEqual({ "anthropic-ratelimit-tokens-remaining": "1000" });
    expectWellFormed(out, "msg_01QC4g3HwBThD4BaNtBckFDJ", "claude-sonnet-4-5-20250929");
    expect(out.content).toBe("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?");
    expect(out.finish).toBe("stop");
    expect(out.nativeFinish).toBe("end_turn");
    expect(out.usage).toEqual({ prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
    const sent = upstream.requests[0]!;
    expect(sent.url).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("sk-ant-test");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers.accept).toBe("text/event-stream");
    expect(sent.json).toEqual({ model: "claude-sonnet-4-5", max_tokens: 8192, stream: true, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] });
  });

  it("anthropic-tool-no-args.chunks.txt: id and name on the first chunk, arguments end as {}", async () => {
    const out = await stream(replay("anthropic-tool-no-args.chunks.txt"));
    expectWellFormed(out, "msg_01GE2RKp1VYsPzdFs3sS9z5S", "claude-sonnet-4-5-20250929");
    expect(out.content).toBe("I'll update the issue list for you.");
    expect(out.toolCalls).toEqual([{ index: 0, id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", type: "function", name: "updateIssueList", arguments: "{}" }]);
    const first = out.chunks.find((c) => c.choices[0]!.delta.tool_calls)!;
    expect(first.choices[0]!.delta.tool_calls).toEqual([{ index: 0, id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", type: "function", function: { name: "updateIssueList", arguments: "" } }]);
    expect(out.finish).toBe("tool_calls");
    expect(out.usage).toMatchObject({ prompt_tokens: 565, completion_tokens: 48 });
  });

  it("anthropic-json-tool.2.chunks.txt: tool arguments streamed as deltas, index 0 although it is block 1", async () => {
    const out = await stream(replay("anthropic-json-tool.2.chunks.txt"), { messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "json" } }] });
    expect(out.content).toBe("I'll invoke the JSON response tool.");
    expect(out.toolCalls).toHaveLength(1);
    expect(out.toolCalls[0]).toMatchObject({ index: 0, id: "toolu_01KFbKqPYSuAKujiL6mTfzYA", name: "json" });
    expect(JSON.parse(out.toolCalls[0]!.arguments)).toEqual({ elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] });
    expect(out.finish).toBe("tool_calls");
    expect(out.usage).toMatchObject({ prompt_tokens: 849, completion_tokens: 47, total_tokens: 896 });
  });

  it("anthropic-json-tool.2.chunks.txt in response_format mode: the tool input streams as content, finish stop", async () => {
    const out = await stream(replay("anthropic-json-tool.2.chunks.txt"), { messages: [{ role: "user", content: "x" }], response_format: { type: "json_schema", json_schema: { name: "json", schema: { type: "object" } } } });
    expect(out.toolCalls).toEqual([]);
    expect(JSON.parse(out.content)).toEqual({ elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] });
    expect(out.finish).toBe("stop");
    expect(out.nativeFinish).toBe("tool_use");
  });

  it("anthropic-clear-thinking.1.chunks.txt: reasoning deltas, the signature, then text", async () => {
    const out = await stream(replay("anthropic-clear-thinking.1.chunks.txt"));
    expectWellFormed(out, "msg_01Y6V41gqPaKWEw7iPouH7iW", "claude-sonnet-4-5-20250929");
    expect(out.reasoning).toBe("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185");
    expect(joinDetails(out.reasoningDetails)).toEqual([
      { type: "reasoning.text", text: out.reasoning, signature: expect.stringMatching(/^EvQBCkYICxgCKkAxhD4N.*BgB$/), format: "anthropic-claude-v1", index: 0 },
    ]);
    expect(out.content).toBe("925 ÷ 5 = 185");
    expect(out.usage).toMatchObject({ prompt_tokens: 69, completion_tokens: 53 });
  });

  it("anthropic-message-delta-input-tokens.chunks.txt: message_delta's input_tokens wins", async () => {
    const out = await stream(replay("anthropic-message-delta-input-tokens.chunks.txt"));
    expect(out.content).toBe("pong");
    expect(out.usage).toEqual({ prompt_tokens: 61, completion_tokens: 2, total_tokens: 63, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
    expect(out.chunks[0]!.model).toBe("claude-opus-4-5-20251101");
  });

  it("anthropic-refusal.chunks.txt: content_filter with the explanation as refusal", async () => {
    const out = await stream(replay("anthropic-refusal.chunks.txt"));
    expectWellFormed(out, "msg_01RefusalStreamAbcdefghijk", "claude-fable-5");
    expect(out.content).toBe("");
    expect(out.refusal).toMatch(/Usage Policy/);
    expect(out.finish).toBe("content_filter");
    expect(out.usage).toMatchObject({ prompt_tokens: 18, completion_tokens: 5, total_tokens: 23 });
  });

  it("anthropic-web-search-tool.1.chunks.txt: server tool input is not a tool call; citations become annotations", async () => {
    const payloads = fixtureChunks("anthropic/anthropic-web-search-tool.1.chunks.txt");
    const text = payloads
      .map((p) => JSON.parse(p) as { type: string; delta?: { type: string; text?: string } })
      .filter((e) => e.type === "content_block_delta" && e.delta?.type === "text_delta")
      .map((e) => e.delta!.text)
      .join("");
    const out = await stream(replay("anthropic-web-search-tool.1.chunks.txt"));
    expectWellFormed(out, "msg_01LHpEgU4KbfgXGVi3UtHQY1", "claude-sonnet-4-20250514");
    expect(out.toolCalls).toEqual([]);
    expect(out.content).toBe(text);
    expect(out.annotations).toHaveLength(14);
    for (const a of out.annotations as Array<{ type: string; url_citation: { url: string; start_index: number; end_index: number } }>) {
      expect(a.type).toBe("url_citation");
      expect(a.url_citation.url).toMatch(/^https:\/\//);
      expect(a.url_citation.end_index).toBeGreaterThan(a.url_citation.start_index);
    }
    const first = (out.annotations[0] as { url_citation: { start_index: number; end_index: number } }).url_citation;
    expect(out.content.slice(first.start_index, first.end_index)).toMatch(/^Apple today announced the grand reopening of Apple Ginza/);
    expect(out.finish).toBe("stop");
    expect(out.usage).toMatchObject({ prompt_tokens: 15665, completion_tokens: 795 });
  });
});

describe("anthropic provider: raw SSE from the recorded cassettes, written verbatim", () => {
  const rawSse = (file: string): Handler => {
    const [interaction] = fixtureCassette(`anthropic/${file}`);
    return raw(200, interaction!.response.body!.string!, { "content-type": "text/event-stream; charset=utf-8" });
  };

  it("test_request_stream_fallback_for_high_max_tokens.yaml: the shortest stream, padded JSON", async () => {
    const out = await stream(rawSse("test_request_stream_fallback_for_high_max_tokens.yaml"), { messages: [{ role: "user", content: "What is 1+1? Answer with just the number." }], max_tokens: 32000 });
    expectWellFormed(out, "msg_018E1hg8GoVTGEKQY3ovMcSJ", "claude-sonnet-4-5-20250929");
    expect(out.content).toBe("2");
    expect(out.finish).toBe("stop");
    expect(out.usage).toEqual({ prompt_tokens: 20, completion_tokens: 5, total_tokens: 25, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
    expect(upstream.requests[0]!.json).toMatchObject({ max_tokens: 32000, stream: true, messages: [{ role: "user", content: [{ type: "text", text: "What is 1+1? Answer with just the number." }] }] });
  });

  it("test_anthropic_model_thinking_part_stream.yaml: thinking with signature, then text; the request asks for thinking", async () => {
    const out = await stream(rawSse("test_anthropic_model_thinking_part_stream.yaml"), { messages: [{ role: "user", content: "How do I cross the street?" }], max_tokens: 4096, reasoning: { max_tokens: 1024 } });
    expectWellFormed(out, "msg_01ALwQ87pTS7hH1PjSdC9wJD", "claude-sonnet-4-20250514");
    expect(out.reasoning).toMatch(/^This is a straightforward question about pedestrian safety\./);
    const details = joinDetails(out.reasoningDetails);
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ type: "reasoning.text", format: "anthropic-claude-v1", index: 0, text: out.reasoning });
    expect(details[0]!.signature).toMatch(/^EvMCCkYICxgCKkCHP2cS.*YAQ==$/);
    expect(out.content).toMatch(/^Here are the basic/);
    expect(out.content).toMatch(/prioritize safety over speed when crossing streets\.$/);
    expect(out.usage).toMatchObject({ prompt_tokens: 43, completion_tokens: 282, total_tokens: 325 });
    const [interaction] = fixtureCassette("anthropic/test_anthropic_model_thinking_part_stream.yaml");
    const { model: _m, ...expected } = interaction!.request.parsed_body as Record<string, unknown>;
    const { model: _n, ...sent } = upstream.requests[0]!.json as Record<string, unknown>;
    expect(sent).toEqual(expected);
  });

  it("test_multiple_parallel_tool_calls.yaml streamed: four calls get indexes 0-3 with their own ids and arguments", async () => {
    const [interaction] = fixtureCassette("anthropic/test_multiple_parallel_tool_calls.yaml");
    const message = interaction!.response.parsed_body as { id: string; model: string; content: Array<Record<string, unknown>>; usage: Record<string, unknown> };
    const out = await stream(sse(toEvents(message), { eventNames: true }), { messages: [{ role: "user", content: "Who is the youngest?" }] });
    expectWellFormed(out, message.id, message.model);
    expect(out.toolCalls.map((t) => [t.index, t.id, t.type, t.name, JSON.parse(t.arguments)])).toEqual([
      [0, "toolu_0167cfEnoQaPviGdVXA95zcu", "function", "retrieve_entity_info", { name: "Alice" }],
      [1, "toolu_01EEe2V5HD1Ac4rKiUR4HD2T", "function", "retrieve_entity_info", { name: "Bob" }],
      [2, "toolu_01XFyAjstT3966qvRynZyVPo", "function", "retrieve_entity_info", { name: "Charlie" }],
      [3, "toolu_013mnQZbgtK2oe3Mo3XKJsx3", "function", "retrieve_entity_info", { name: "Daisy" }],
    ]);
    // Every tool-call chunk names exactly one call, and its first chunk carries id and name.
    for (const c of out.chunks) for (const tc of c.choices[0]!.delta.tool_calls ?? []) if (tc.id) expect(tc.function).toEqual({ name: "retrieve_entity_info", arguments: "" });
    expect(out.finish).toBe("tool_calls");
    expect(out.usage).toMatchObject({ prompt_tokens: 423, completion_tokens: 202 });
  });
});

/** The cassette's parsed message, re-streamed as Anthropic would: arguments split in two fragments. */
function toEvents(message: { id: string; model: string; content: Array<Record<string, unknown>>; usage: Record<string, unknown> }): string[] {
  const events: unknown[] = [{ type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } }];
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } });
    } else {
      events.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      const args = JSON.stringify(block.input);
      events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: args.slice(0, 5) } });
      events.push({ type: "ping" });
      events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: args.slice(5) } });
    }
    events.push({ type: "content_block_stop", index });
  });
  events.push({ type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } });
  events.push({ type: "message_stop" });
  return events.map((e) => JSON.stringify(e));
}
