import { describe, expect, it } from "vitest";
import { openaiChunkFormatter } from "../../../src/core/openai-chunk-formatter.js";
import { readCommonChunk } from "../../../src/providers/openai-compatible/read-common-chunk.js";
import { createChunkState, normalizeOpenAIChunk } from "../../../src/providers/openai-compatible/normalize-openai-chunk.js";
import { RAW_DELTA, type ChatCompletionChunk } from "../../../src/schemas/chat-response.js";
import { fixtureChunks } from "../../helpers/fixtures.js";

const who = { id: "gen-1", model: "openai/gpt-4.1-nano", provider: "oa", created: 5 };
const frameJson = (frame: string) => JSON.parse(frame.replace(/^data: /, "").trim()) as Record<string, unknown>;

/** The slow path's frame for the same payload: full parse, normalisation, stringify. */
const slowFrame = (data: string) => frameJson(openaiChunkFormatter.chunk(normalizeOpenAIChunk(JSON.parse(data) as ChatCompletionChunk, createChunkState()), who));

describe("readCommonChunk (the SSE fast path)", () => {
  const recorded = fixtureChunks("openai/openai-text.chunks.txt");

  it("reads the role, text and finish chunks of a recorded OpenAI stream, and writes what the slow path writes", () => {
    let fast = 0;
    for (const data of recorded) {
      const chunk = readCommonChunk(data);
      if (!chunk) continue;
      fast++;
      const frame = frameJson(openaiChunkFormatter.chunk(chunk, who));
      const slow = slowFrame(data);
      const slowChoice = (slow.choices as Array<{ delta: unknown; finish_reason: unknown }>)[0]!;
      expect(frame).toEqual({ id: "gen-1", object: "chat.completion.chunk", created: slow.created, model: who.model, provider: "oa", choices: [{ index: 0, delta: slowChoice.delta, finish_reason: slowChoice.finish_reason }] });
      // What the pipeline reads (usage estimates, other formatters) is the parsed delta, as the slow path's.
      const parsed = (JSON.parse(data) as ChatCompletionChunk).choices[0]!;
      expect(chunk.choices[0]!.delta.content ?? null).toBe(parsed.delta.content ?? null);
      expect(chunk.choices[0]!.delta.role).toBe(parsed.delta.role);
      expect(chunk.choices[0]!.finish_reason).toBe(parsed.finish_reason);
    }
    // Only the usage chunk takes the full path.
    expect(fast).toBe(recorded.length - 1);
  });

  it.each([
    ["a role delta", `"delta":{"role":"assistant","content":""}`, { role: "assistant", content: "" }, null],
    ["a role delta with a null refusal", `"delta":{"role":"assistant","content":"","refusal":null}`, { role: "assistant", content: "" }, null],
    ["a finish reason", `"delta":{},"finish_reason":"stop"`, {}, "stop"],
    ["a length cut", `"delta":{},"logprobs":null,"finish_reason":"length"`, {}, "length"],
    ["text with its finish reason", `"delta":{"content":"."},"finish_reason":"stop"`, { content: "." }, "stop"],
  ])("reads %s", (_name, choice, delta, finish) => {
    const body = choice.includes("finish_reason") ? choice : `${choice},"finish_reason":null`;
    const data = `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,${body}}]}`;
    const chunk = readCommonChunk(data)!;
    expect(chunk.choices).toEqual([{ index: 0, delta, finish_reason: finish }]);
    // The slow path's frame has the same delta and finish reason (it also keeps `"logprobs": null`, which says nothing).
    const [written] = frameJson(openaiChunkFormatter.chunk(chunk, who)).choices as Array<Record<string, unknown>>;
    const [slow] = slowFrame(data).choices as Array<Record<string, unknown>>;
    expect(written).toEqual({ index: 0, delta: slow!.delta, finish_reason: slow!.finish_reason });
  });

  it.each([
    ["newline and quote escapes", "line\\nwith \\\"quotes\\\"", "line\nwith \"quotes\""],
    ["unicode escape", "caf\\u00e9", "café"],
    ["plain text", "Hello", "Hello"],
  ])("keeps %s escaped for the frame and unescaped for the pipeline", (_name, raw, text) => {
    const data = `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${raw}"},"finish_reason":null}]}`;
    const chunk = readCommonChunk(data)!;
    expect(chunk.choices[0]!.delta.content).toBe(text);
    expect(chunk[RAW_DELTA]).toBe(`"content":"${raw}"`);
    expect((frameJson(openaiChunkFormatter.chunk(chunk, who)).choices as Array<{ delta: { content: string } }>)[0]!.delta.content).toBe(text);
  });

  it("reads each chunk's own created time, when streams with different ones take turns", () => {
    const data = (created: string) => `{"id":"c","object":"chat.completion.chunk","created":${created},"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`;
    for (const created of ["1735689600", "1735689600", "1735689601", "7", "1735689600", "0", "9007199254740993"]) {
      expect(readCommonChunk(data(created))!.created).toBe(Number(created));
    }
  });

  it("writes each frame with its own chunk's created time, when it changes within a stream", () => {
    const stream = { ...who };
    const data = (created: number, text: string) => `{"id":"c","object":"chat.completion.chunk","created":${created},"model":"m","choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}`;
    for (const [created, text] of [[100, "a"], [100, "b"], [101, "c"], [100, "d"]] as const) {
      const frame = frameJson(openaiChunkFormatter.chunk(readCommonChunk(data(created, text))!, stream));
      expect(frame).toMatchObject({ created, choices: [{ delta: { content: text } }] });
    }
  });

  it.each([
    ["a role delta with text", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}`],
    ["a refusal", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"refusal":"no"},"finish_reason":null}]}`],
    ["an unknown finish reason", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"eos"}]}`],
    ["logprobs", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"logprobs":{"content":[]},"finish_reason":null}]}`],
    ["a usage chunk", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`],
    ["tool calls", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":null}]}`],
    ["DeepSeek reasoning_content", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"hm"},"finish_reason":null}]}`],
    ["a second choice (n > 1)", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":1,"delta":{"content":"x"},"finish_reason":null}]}`],
    ["usage on a content chunk", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"usage":{"prompt_tokens":1}}`],
    ["Groq's off-spec service tier", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"on_demand","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`],
    ["a null system fingerprint", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`],
    ["an unknown extra field", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","x_vendor":1,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}`],
  ])("leaves %s to the full parse", (_name, data) => {
    expect(readCommonChunk(data)).toBeUndefined();
  });
});
