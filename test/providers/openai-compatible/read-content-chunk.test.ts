import { describe, expect, it } from "vitest";
import { openaiChunkFormatter } from "../../../src/core/openai-chunk-formatter.js";
import { readContentChunk } from "../../../src/providers/openai-compatible/read-content-chunk.js";
import { createChunkState, normalizeOpenAIChunk } from "../../../src/providers/openai-compatible/normalize-openai-chunk.js";
import { RAW_CONTENT, type ChatCompletionChunk } from "../../../src/schemas/chat-response.js";
import { fixtureChunks } from "../../helpers/fixtures.js";

const who = { id: "gen-1", model: "openai/gpt-4.1-nano", provider: "oa", created: 5 };
const frameJson = (frame: string) => JSON.parse(frame.replace(/^data: /, "").trim()) as Record<string, unknown>;

/** The slow path's frame for the same payload: full parse, normalisation, stringify. */
const slowFrame = (data: string) => frameJson(openaiChunkFormatter.chunk(normalizeOpenAIChunk(JSON.parse(data) as ChatCompletionChunk, createChunkState()), who));

describe("readContentChunk (the SSE fast path)", () => {
  const recorded = fixtureChunks("openai/openai-text.chunks.txt");

  it("reads every content-only chunk of a recorded OpenAI stream, and writes the same content as the slow path", () => {
    let fast = 0;
    for (const data of recorded) {
      const chunk = readContentChunk(data);
      if (!chunk) continue;
      fast++;
      const frame = frameJson(openaiChunkFormatter.chunk(chunk, who));
      const slow = slowFrame(data);
      expect(frame).toEqual({ id: "gen-1", object: "chat.completion.chunk", created: slow.created, model: who.model, provider: "oa", choices: [{ index: 0, delta: (slow.choices as Array<{ delta: unknown }>)[0]!.delta, finish_reason: null }] });
      expect(chunk.choices[0]!.delta.content).toBe((JSON.parse(data) as ChatCompletionChunk).choices[0]!.delta.content);
    }
    // The role chunk, the finish chunk and the usage chunk take the full path.
    expect(fast).toBe(recorded.length - 3);
  });

  it.each([
    ["newline and quote escapes", "line\\nwith \\\"quotes\\\"", "line\nwith \"quotes\""],
    ["unicode escape", "caf\\u00e9", "café"],
    ["plain text", "Hello", "Hello"],
  ])("keeps %s escaped for the frame and unescaped for the pipeline", (_name, raw, text) => {
    const data = `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${raw}"},"finish_reason":null}]}`;
    const chunk = readContentChunk(data)!;
    expect(chunk.choices[0]!.delta.content).toBe(text);
    expect(chunk[RAW_CONTENT]).toBe(raw);
    expect((frameJson(openaiChunkFormatter.chunk(chunk, who)).choices as Array<{ delta: { content: string } }>)[0]!.delta.content).toBe(text);
  });

  it.each([
    ["a role delta", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`],
    ["a finish reason", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`],
    ["a usage chunk", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`],
    ["tool calls", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":null}]}`],
    ["DeepSeek reasoning_content", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"hm"},"finish_reason":null}]}`],
    ["a second choice (n > 1)", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":1,"delta":{"content":"x"},"finish_reason":null}]}`],
    ["usage on a content chunk", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"usage":{"prompt_tokens":1}}`],
    ["Groq's off-spec service tier", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"on_demand","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`],
    ["a null system fingerprint", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`],
    ["an unknown extra field", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","x_vendor":1,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`],
  ])("leaves %s to the full parse", (_name, data) => {
    expect(readContentChunk(data)).toBeUndefined();
  });
});
