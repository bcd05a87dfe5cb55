import { describe, it, expect } from "vitest";
import { convertAnthropicUsage } from "../../../src/providers/anthropic/convert-anthropic-usage.js";
import { extractAnthropicError } from "../../../src/providers/anthropic/extract-anthropic-error.js";
import { mapAnthropicStopReason } from "../../../src/providers/anthropic/map-anthropic-stop-reason.js";
import { parseDataUrl } from "../../../src/providers/anthropic/parse-data-url.js";
import { anthropicCapabilities } from "../../../src/providers/anthropic/anthropic-capabilities.js";

describe("mapAnthropicStopReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    [null, "stop"],
    ["something_new", "stop"],
  ])("%s -> %s", (input, output) => {
    expect(mapAnthropicStopReason(input)).toBe(output);
  });
});

describe("convertAnthropicUsage", () => {
  it.each([
    [{ input_tokens: 12, output_tokens: 30 }, { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } }],
    [
      { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 3 },
      { prompt_tokens: 125, completion_tokens: 3, total_tokens: 128, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 } },
    ],
    [{ input_tokens: null, cache_read_input_tokens: null, output_tokens: 1 }, { prompt_tokens: 0, completion_tokens: 1, total_tokens: 1, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } }],
    [undefined, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } }],
  ])("%j", (input, output) => {
    expect(convertAnthropicUsage(input)).toEqual(output);
  });
});

describe("extractAnthropicError", () => {
  it("reads Anthropic's error shape", () => {
    expect(extractAnthropicError({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })).toEqual({ type: "overloaded_error", code: "overloaded_error", message: "Overloaded" });
  });
  it.each([null, {}, { error: "text" }, []])("throws on %j so the body counts as unreadable", (body) => {
    expect(() => extractAnthropicError(body)).toThrow();
  });
});

describe("parseDataUrl", () => {
  it.each([
    ["data:image/png;base64,AAAA", { mediaType: "image/png", base64: true, data: "AAAA" }],
    ["data:Application/PDF;name=a.pdf;base64,JVBE", { mediaType: "application/pdf", base64: true, data: "JVBE" }],
    ["data:,hello%20there", { mediaType: "text/plain", base64: false, data: "hello%20there" }],
    ["https://example.com/a.png", undefined],
  ])("%s", (input, output) => {
    expect(parseDataUrl(input)).toEqual(output);
  });
});

describe("anthropicCapabilities", () => {
  it("lists what Anthropic honours and nothing it cannot", () => {
    for (const p of ["messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "parallel_tool_calls", "response_format", "reasoning", "reasoning_effort", "user", "stream", "stream_options", "metadata"]) {
      expect(anthropicCapabilities.has(p)).toBe(true);
    }
    for (const p of ["logit_bias", "logprobs", "top_logprobs", "n", "seed", "presence_penalty", "frequency_penalty"]) expect(anthropicCapabilities.has(p)).toBe(false);
  });
});
