import { describe, expect, it } from "vitest";
import { toCatalogModel } from "../../../src/catalog/build-catalog.js";
import type { ChatCall } from "../../../src/providers/provider.js";
import { buildOpenAIBody } from "../../../src/providers/openai-compatible/build-openai-body.js";
import { extractOpenAIError } from "../../../src/providers/openai-compatible/extract-openai-error.js";
import { createChunkState, normalizeOpenAIChunk } from "../../../src/providers/openai-compatible/normalize-openai-chunk.js";
import { normalizeOpenAIMessage } from "../../../src/providers/openai-compatible/normalize-openai-message.js";
import { normalizeOpenAIUsage } from "../../../src/providers/openai-compatible/normalize-openai-usage.js";
import type { ChatCompletionChunk } from "../../../src/schemas/chat-response.js";
import { fixtureChunks } from "../../helpers/fixtures.js";

function call(id: string, request: Record<string, unknown>, maxCompletionTokens?: boolean): ChatCall {
  const model = toCatalogModel({ id, routes: [{ provider: "p", model: "upstream-name" }], ...(maxCompletionTokens === undefined ? {} : { maxCompletionTokens }) } as Parameters<typeof toCatalogModel>[0], 0);
  return { request: { messages: [{ role: "user", content: "x" }], ...request } as ChatCall["request"], model, route: model.routes[0]! };
}

describe("buildOpenAIBody", () => {
  it("strips gateway-only fields and uses the upstream model name", () => {
    const body = buildOpenAIBody(call("p/m", { model: "p/m", models: ["p/m"], route: "fallback", provider: { sort: "price" }, reasoning: { effort: "high" }, temperature: 0.2, vendor_extra: 1 }), false);
    expect(body).toEqual({ model: "upstream-name", messages: [{ role: "user", content: "x" }], temperature: 0.2, vendor_extra: 1, reasoning_effort: "high" });
  });

  it("keeps an explicit reasoning_effort over reasoning.effort", () => {
    expect(buildOpenAIBody(call("p/m", { reasoning_effort: "low", reasoning: { effort: "high" } }), false).reasoning_effort).toBe("low");
  });

  it.each([
    ["p/o3-mini (guessed from the name)", undefined, true],
    ["p/o1", undefined, true],
    ["p/gpt-5-mini", undefined, true],
    ["p/gpt-4o-mini", undefined, false],
    ["p/custom", true, true],
    ["p/o3-mini", false, false],
  ])("max_tokens for %s -> max_completion_tokens: %s/%s", (id, flag, renamed) => {
    const body = buildOpenAIBody(call(id, { max_tokens: 100 }, flag as boolean | undefined), false);
    if (renamed) {
      expect(body.max_completion_tokens).toBe(100);
      expect(body).not.toHaveProperty("max_tokens");
    } else {
      expect(body.max_tokens).toBe(100);
      expect(body).not.toHaveProperty("max_completion_tokens");
    }
  });

  it("an explicit max_completion_tokens wins over max_tokens on rename", () => {
    const body = buildOpenAIBody(call("p/o3-mini", { max_tokens: 100, max_completion_tokens: 50 }), false);
    expect(body).toMatchObject({ max_completion_tokens: 50 });
    expect(body).not.toHaveProperty("max_tokens");
  });

  it("always asks for stream usage, whatever the caller said", () => {
    expect(buildOpenAIBody(call("p/m", { stream: true, stream_options: { include_usage: false } }), true)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(buildOpenAIBody(call("p/m", {}), true)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("a non-streamed call carries neither stream nor stream_options", () => {
    const body = buildOpenAIBody(call("p/m", { stream: false }), false);
    expect(body).not.toHaveProperty("stream");
    expect(body).not.toHaveProperty("stream_options");
  });
});

describe("normalizeOpenAIChunk", () => {
  const replay = (rel: string) => {
    const state = createChunkState();
    return fixtureChunks(rel).map((l) => normalizeOpenAIChunk(JSON.parse(l) as ChatCompletionChunk, state));
  };

  it("alibaba: an empty continuation id is dropped, never replacing the first", () => {
    const calls = replay("alibaba/alibaba-tool-call.chunks.txt").flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(calls[0]).toMatchObject({ index: 0, id: "call_eee11723464a4b9eb8cee71d" });
    expect(calls.slice(1).every((t) => t.id === undefined && t.index === 0)).toBe(true);
  });

  it("mistral: a call without index gets one, and type function", () => {
    const [t] = replay("mistral/mistral-tool-call.chunks.txt").flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(t).toMatchObject({ index: 0, id: "gSIMJiOkT", type: "function" });
  });

  it("mistral-style calls without index: new ids open new indexes, id-less deltas continue the last", () => {
    const state = createChunkState();
    const chunk = (tool_calls: unknown[]) => normalizeOpenAIChunk({ id: "x", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta: { tool_calls }, finish_reason: null }] } as unknown as ChatCompletionChunk, state);
    const indexes = [
      chunk([{ id: "a", function: { name: "f", arguments: "" } }]),
      chunk([{ function: { arguments: "{}" } }]),
      chunk([{ id: "b", function: { name: "g", arguments: "{}" } }]),
      chunk([{ id: "a", function: { arguments: "" } }]),
    ].map((c) => c.choices[0]!.delta.tool_calls![0]!.index);
    expect(indexes).toEqual([0, 0, 1, 0]);
  });

  it("xai / deepseek: reasoning_content becomes reasoning; a missing finish_reason becomes null", () => {
    const chunks = replay("xai/xai-tool-call.chunks.txt");
    expect(chunks[0]!.choices[0]).toMatchObject({ finish_reason: null, delta: { reasoning: "First", role: "assistant" } });
    expect(chunks[0]!.choices[0]!.delta).not.toHaveProperty("reasoning_content");
  });

  it("mistral magistral: array content split into text and reasoning", () => {
    const chunks = replay("mistral/mistral-reasoning.chunks.txt");
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ content: "", reasoning: "The user is asking" });
    expect(chunks[2]!.choices[0]!.delta.content).toBe("2 + 2 = 4");
  });

  it("normalises usage on the chunk that carries it", () => {
    const last = replay("deepseek/deepseek-tool-call.chunks.txt").at(-1)!;
    expect(last.usage).toMatchObject({ prompt_tokens: 339, completion_tokens: 83, prompt_tokens_details: { cached_tokens: 320 }, completion_tokens_details: { reasoning_tokens: 39 } });
  });
});

describe("normalizeOpenAIMessage", () => {
  it.each([
    ["groq: no content key", { role: "assistant", tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{}" } }] }, { content: null, refusal: null }],
    ["deepseek: reasoning_content", { role: "assistant", content: "x", reasoning_content: "why" }, { content: "x", reasoning: "why" }],
    ["groq: reasoning", { role: "assistant", content: "x", reasoning: "why" }, { reasoning: "why" }],
    ["a zero-argument call gets {}", { role: "assistant", content: null, tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "" } }] }, { tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{}" } }] }],
    ["deepseek: a tool call's index is dropped", { role: "assistant", content: "", tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "{}" } }] }, { tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{}" } }] }],
  ])("%s", (_label, raw, expected) => {
    const m = normalizeOpenAIMessage(raw);
    expect(m).toMatchObject(expected);
    expect(m).not.toHaveProperty("reasoning_content");
  });
});

describe("normalizeOpenAIUsage", () => {
  it.each([
    ["null", null, undefined],
    ["a string", "x", undefined],
    ["deepseek cache hits", { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_cache_hit_tokens: 8 }, { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 0 } }],
    ["cache writes kept", { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 1, cache_write_tokens: 4 } }, { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 1, cache_write_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 0 } }],
    ["garbage numbers become 0", { prompt_tokens: "7", completion_tokens: Number.NaN }, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } }],
  ])("%s", (_label, raw, expected) => {
    expect(normalizeOpenAIUsage(raw)).toEqual(expected);
  });
});

describe("extractOpenAIError", () => {
  it.each([
    ["the OpenAI shape", { error: { message: "m", type: "t", code: "c", param: "p" } }, { message: "m", type: "t", code: "c", param: "p" }],
    ["a bare string error", { error: "boom" }, { message: "boom" }],
    ["a top-level message", { message: "flat" }, { message: "flat" }],
    ["nothing useful", { detail: 1 }, { message: undefined }],
    ["null", null, { message: undefined }],
  ])("%s", (_label, json, expected) => {
    expect(extractOpenAIError(json)).toEqual(expected);
  });
});
