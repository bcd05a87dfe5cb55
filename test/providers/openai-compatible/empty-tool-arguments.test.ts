import { describe, expect, it } from "vitest";
import { createChunkState, normalizeOpenAIChunk } from "../../../src/providers/openai-compatible/normalize-openai-chunk.js";
import type { ChatCompletionChunk } from "../../../src/schemas/chat-response.js";

describe("zero-argument tool calls in OpenAI-compatible streams", () => {
  const base = { id: "c", object: "chat.completion.chunk" as const, created: 1, model: "m" };
  const run = (chunks: ChatCompletionChunk[]) => {
    const state = createChunkState();
    const args = new Map<number, string>();
    for (const c of chunks) {
      for (const d of normalizeOpenAIChunk(c, state).choices[0]?.delta.tool_calls ?? []) args.set(d.index, (args.get(d.index) ?? "") + (d.function?.arguments ?? ""));
    }
    return args;
  };

  it("closes a call that streamed no arguments with {} on the finish chunk, and leaves others alone", () => {
    const args = run([
      { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "now", arguments: "" } }] }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "weather", arguments: "" } }] }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: "{\"city\":\"Paris\"}" } }] }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    ]);
    expect(JSON.parse(args.get(0)!)).toEqual({});
    expect(JSON.parse(args.get(1)!)).toEqual({ city: "Paris" });
  });
});
