import { afterAll, beforeAll, beforeEach, describe, it, expect } from "vitest";
import { createAnthropicProvider } from "../../../src/providers/anthropic/create-anthropic-provider.js";
import type { ChatCompletion } from "../../../src/schemas/chat-response.js";
import { FakeUpstream, json } from "../../helpers/fake-upstream.js";
import { fixtureCassette, fixtureJson } from "../../helpers/fixtures.js";
import { NOW, makeCall, makeCtx, type Warning } from "./anthropic-test-helpers.js";

const upstream = new FakeUpstream();
let provider: ReturnType<typeof createAnthropicProvider>;

beforeAll(async () => {
  await upstream.start();
  provider = createAnthropicProvider("anthropic", { apiKey: "sk-ant-test", baseURL: upstream.url, headers: { "anthropic-beta": "test-beta" } });
});
afterAll(() => upstream.stop());
beforeEach(() => upstream.reset());

async function chat(fixture: unknown, body: Record<string, unknown> = { messages: [{ role: "user", content: "Hi" }] }, warnings: Warning[] = []): Promise<ChatCompletion> {
  upstream.next(json(200, fixture, { "anthropic-ratelimit-requests-remaining": "49", "request-id": "req_1" }));
  const { completion } = await provider.chat(makeCall(body), makeCtx(warnings));
  return completion;
}

describe("anthropic provider: chat against recorded responses", () => {
  it("anthropic-text.json: content, model, id, usage; the outgoing request", async () => {
    upstream.next(json(200, fixtureJson("anthropic/anthropic-text.json"), { "anthropic-ratelimit-requests-remaining": "49" }));
    const { completion: c, headers } = await provider.chat(makeCall({ messages: [{ role: "system", content: "Be nice" }, { role: "user", content: "Hi" }], temperature: 0.5 }), makeCtx());
    expect(c).toMatchObject({
      id: "msg_01VdEjxAP5ahtHKrrRdNBteQ",
      object: "chat.completion",
      created: Math.floor(NOW / 1000),
      model: "claude-sonnet-4-5-20250929",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?", refusal: null },
          finish_reason: "stop",
          native_finish_reason: "end_turn",
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 29, total_tokens: 41, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } },
    });
    expect(c.usage.cost).toBeUndefined();
    expect(c.choices[0]!.message.tool_calls).toBeUndefined();
    expect(headers).toEqual({ "anthropic-ratelimit-requests-remaining": "49" });

    const sent = upstream.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.url).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("sk-ant-test");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers["anthropic-beta"]).toBe("test-beta");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.json).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 8192,
      system: [{ type: "text", text: "Be nice" }],
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      temperature: 0.5,
    });
  });

  it("anthropic-tool-no-args.json: text plus a tool call with {} arguments", async () => {
    const c = await chat(fixtureJson("anthropic/anthropic-tool-no-args.json"));
    const m = c.choices[0]!.message;
    expect(m.content).toContain("Okay, I will update the current issue list:");
    expect(m.tool_calls).toEqual([{ id: "toolu_01LRmxn9vGM1d2DZSDBowdZ1", type: "function", function: { name: "updateIssueList", arguments: "{}" } }]);
    expect(JSON.parse(m.tool_calls![0]!.function.arguments)).toEqual({});
    expect(c.choices[0]!.finish_reason).toBe("tool_calls");
    expect(c.model).toBe("claude-3-opus-20240229");
    expect(c.usage).toMatchObject({ prompt_tokens: 602, completion_tokens: 93, total_tokens: 695 });
  });

  it("anthropic-json-tool.1.json as a tool call when no response_format was asked", async () => {
    const c = await chat(fixtureJson("anthropic/anthropic-json-tool.1.json"), { messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "json" } }] });
    const call = c.choices[0]!.message.tool_calls![0]!;
    expect(call).toMatchObject({ id: "toolu_01Q9ExVZnzZj7E2QQYHYtNUa", type: "function", function: { name: "json" } });
    expect(JSON.parse(call.function.arguments).elements).toHaveLength(4);
    expect(c.choices[0]!.message.content).toBeNull();
    expect(c.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("anthropic-json-tool.1.json as the response_format answer: JSON in content, finish stop", async () => {
    const schema = { type: "object", properties: { elements: { type: "array" } } };
    const c = await chat(fixtureJson("anthropic/anthropic-json-tool.1.json"), {
      messages: [{ role: "user", content: "weather as JSON" }],
      response_format: { type: "json_schema", json_schema: { name: "json", schema } },
    });
    const m = c.choices[0]!.message;
    expect(m.tool_calls).toBeUndefined();
    expect(JSON.parse(m.content!)).toEqual({
      elements: [
        { location: "San Francisco", temperature: -5, condition: "snowy" },
        { location: "London", temperature: 0, condition: "snowy" },
        { location: "Paris", temperature: 23, condition: "cloudy" },
        { location: "Berlin", temperature: -9, condition: "snowy" },
      ],
    });
    expect(c.choices[0]).toMatchObject({ finish_reason: "stop", native_finish_reason: "tool_use" });
    expect(upstream.requests[0]!.json).toMatchObject({ tools: [{ name: "json", input_schema: schema }], tool_choice: { type: "tool", name: "json" } });
  });

  it("anthropic-clear-thinking.1.json: reasoning and its signature", async () => {
    const c = await chat(fixtureJson("anthropic/anthropic-clear-thinking.1.json"));
    const m = c.choices[0]!.message;
    expect(m.content).toBe("925 ÷ 5 = 185");
    expect(m.reasoning).toBe("925 divided by 5 = 185");
    expect(m.reasoning_details).toEqual([
      { type: "reasoning.text", text: "925 divided by 5 = 185", signature: expect.stringMatching(/^Er4BCkYICxgCKkCoxq/), format: "anthropic-claude-v1", index: 0 },
    ]);
    expect(c.usage).toMatchObject({ prompt_tokens: 69, completion_tokens: 33, total_tokens: 102 });
  });

  it("anthropic-clear-thinking.1.json with reasoning.exclude: no reasoning returned", async () => {
    const c = await chat(fixtureJson("anthropic/anthropic-clear-thinking.1.json"), { messages: [{ role: "user", content: "x" }], reasoning: { effort: "low", exclude: true } });
    expect(c.choices[0]!.message.reasoning).toBeUndefined();
    expect(c.choices[0]!.message.content).toBe("925 ÷ 5 = 185");
  });

  it("anthropic-web-search-tool.1.json: server tools are not tool calls; citations become annotations", async () => {
    const fixture = fixtureJson<{ content: Array<{ type: string; text?: string }> }>("anthropic/anthropic-web-search-tool.1.json");
    const c = await chat(fixture);
    const m = c.choices[0]!.message;
    const text = fixture.content.filter((b) => b.type === "text").map((b) => b.text).join("");
    expect(m.content).toBe(text);
    expect(m.tool_calls).toBeUndefined();
    expect(c.choices[0]!.finish_reason).toBe("stop");
    const annotations = m.annotations as Array<{ type: string; url_citation: { url: string; title: string; start_index: number; end_index: number } }>;
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) {
      expect(a.type).toBe("url_citation");
      expect(a.url_citation.url).toMatch(/^https?:\/\//);
      expect(a.url_citation.end_index).toBeGreaterThan(a.url_citation.start_index);
      expect(a.url_citation.end_index).toBeLessThanOrEqual(text.length);
    }
    expect(annotations[0]!.url_citation.url).toBe("https://acecomments.mu.nu/?post=411647");
    expect(c.usage).toMatchObject({ prompt_tokens: 27118, completion_tokens: 600 });
  });

  it("anthropic-refusal.json: content_filter, explanation as refusal", async () => {
    const c = await chat(fixtureJson("anthropic/anthropic-refusal.json"));
    expect(c.choices[0]).toMatchObject({ finish_reason: "content_filter", native_finish_reason: "refusal" });
    expect(c.choices[0]!.message.content).toBeNull();
    expect(c.choices[0]!.message.refusal).toMatch(/Usage Policy/);
    expect(c.usage).toMatchObject({ prompt_tokens: 18, completion_tokens: 5, total_tokens: 23 });
  });

  it("cache reads and writes are counted once, in prompt_tokens and the details", async () => {
    const body = { ...fixtureJson<Record<string, unknown>>("anthropic/anthropic-text.json"), usage: { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 7 } };
    const c = await chat(body);
    expect(c.usage).toEqual({ prompt_tokens: 1210, completion_tokens: 7, total_tokens: 1217, prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 } });
  });

  it("test_multiple_parallel_tool_calls.yaml: four parallel calls, then the results sent back in one turn", async () => {
    const [first, second] = fixtureCassette("anthropic/test_multiple_parallel_tool_calls.yaml");
    const system = (first!.request.parsed_body as { system: string }).system;
    const tools = [
      {
        type: "function",
        function: { name: "retrieve_entity_info", description: "Get the knowledge about the given entity.", parameters: { additionalProperties: false, properties: { name: { type: "string" } }, required: ["name"], type: "object" } },
      },
    ];
    const question = { role: "user", content: [{ type: "text", text: "Alice, Bob, Charlie and Daisy are a family. Who is the youngest?" }] };
    const c1 = await chat(first!.response.parsed_body, { model: "claude-haiku-4-5", messages: [{ role: "system", content: system }, question], tools, tool_choice: "auto", max_tokens: 4096 });
    const m1 = c1.choices[0]!.message;
    expect(c1.choices[0]!.finish_reason).toBe("tool_calls");
    expect(m1.tool_calls!.map((t) => [t.id, t.function.name, JSON.parse(t.function.arguments).name])).toEqual([
      ["toolu_0167cfEnoQaPviGdVXA95zcu", "retrieve_entity_info", "Alice"],
      ["toolu_01EEe2V5HD1Ac4rKiUR4HD2T", "retrieve_entity_info", "Bob"],
      ["toolu_01XFyAjstT3966qvRynZyVPo", "retrieve_entity_info", "Charlie"],
      ["toolu_013mnQZbgtK2oe3Mo3XKJsx3", "retrieve_entity_info", "Daisy"],
    ]);
    const { stream: _stream, ...firstBody } = first!.request.parsed_body as Record<string, unknown>;
    expect(upstream.requests[0]!.json).toEqual({ ...firstBody, system: [{ type: "text", text: system }] });

    const results = ["alice is bob's wife", "bob is alice's husband", "charlie is alice's son", "daisy is bob's daughter and charlie's younger sister"];
    const c2 = await chat(second!.response.parsed_body, {
      model: "claude-haiku-4-5",
      messages: [
        { role: "system", content: system },
        question,
        { role: "assistant", content: m1.content, tool_calls: m1.tool_calls },
        ...m1.tool_calls!.map((t, i) => ({ role: "tool", tool_call_id: t.id, content: results[i] })),
      ],
      tools,
      tool_choice: "auto",
      max_tokens: 4096,
    });
    expect(c2.choices[0]!.message.content).toMatch(/Daisy is the youngest/);
    // The outgoing second request matches what the real client sent (tool results grouped in one user turn).
    const expected = second!.request.parsed_body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
    const sent = upstream.requests[1]!.json as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
    expect(sent.messages).toHaveLength(3);
    expect(sent.messages[1]).toEqual(expected.messages[1]);
    expect(sent.messages[2]!.content.map(({ is_error: _e, ...rest }) => rest)).toEqual(expected.messages[2]!.content.map(({ is_error: _e, ...rest }) => rest));
  });

  it("a 2xx body that is not a message is a clean 502", async () => {
    upstream.next(json(200, "<html>oops</html>"));
    await expect(provider.chat(makeCall({ messages: [{ role: "user", content: "x" }] }), makeCtx())).rejects.toMatchObject({ status: 502, upstream: { kind: "bad_response" } });
  });
});
