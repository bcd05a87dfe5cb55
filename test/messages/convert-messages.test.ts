import { describe, expect, it } from "vitest";
import { convertCompletionToMessage } from "../../src/messages/convert-completion-to-message.js";
import { convertMessagesRequest } from "../../src/messages/convert-messages-request.js";
import { createMessagesFormatter } from "../../src/messages/create-messages-formatter.js";
import { messagesRequestSchema } from "../../src/messages/messages-request-schema.js";
import { toAnthropicError } from "../../src/messages/to-anthropic-error.js";
import { GatewayError } from "../../src/errors/gateway-error.js";
import type { ChatCompletionChunk } from "../../src/schemas/chat-response.js";

const convert = (body: Record<string, unknown>) => convertMessagesRequest(messagesRequestSchema.parse({ model: "m", max_tokens: 10, ...body }));

describe("convertMessagesRequest (Anthropic -> chat)", () => {
  it.each([
    ["system string", { system: "S", messages: [] }, { messages: [{ role: "system", content: "S" }] }],
    ["tool_choice any", { messages: [], tool_choice: { type: "any", disable_parallel_tool_use: true } }, { tool_choice: "required", parallel_tool_calls: false }],
    ["tool_choice tool", { messages: [], tool_choice: { type: "tool", name: "f" } }, { tool_choice: { type: "function", function: { name: "f" } } }],
    ["tool_choice none", { messages: [], tool_choice: { type: "none" } }, { tool_choice: "none" }],
    ["thinking", { messages: [], thinking: { type: "enabled", budget_tokens: 2048 } }, { reasoning: { max_tokens: 2048 } }],
    ["sampling", { messages: [], top_k: 3, top_p: 0.9, stop_sequences: ["x"], metadata: { user_id: "u" } }, { top_k: 3, top_p: 0.9, stop: ["x"], user: "u" }],
  ])("%s", (_name, body, expected) => {
    expect(convert(body).chat).toMatchObject(expected);
  });

  it("converts media, documents, tool results and thinking history", () => {
    const { chat, nativeOnly } = convert({
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: "AAA" } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBE" }, title: "a.pdf" },
            { type: "document", source: { type: "text", media_type: "text/plain", data: "body" }, title: "T" },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "sig" },
            { type: "text", text: "calling" },
            { type: "tool_use", id: "t1", name: "f", input: { a: 1 } },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "bad" }], is_error: true }] },
      ],
    });
    expect(nativeOnly).toEqual([]);
    expect(chat.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "data:image/png;base64,AAA" } },
          { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBE" } },
          { type: "text", text: "T\n\nbody" },
        ],
      },
      {
        role: "assistant",
        content: "calling",
        tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
        reasoning_details: [{ type: "reasoning.text", text: "hmm", signature: "sig", format: "anthropic-claude-v1", index: 0 }],
      },
      { role: "tool", tool_call_id: "t1", content: "[tool error]\nbad" },
    ]);
  });

  it("lists what only Anthropic can serve", () => {
    const { nativeOnly } = convert({
      tools: [{ type: "web_search_20250305", name: "web_search" }],
      stop_sequences: ["a", "b", "c", "d", "e"],
      messages: [{ role: "user", content: [{ type: "document", source: { type: "url", url: "https://x/a.pdf" } }] }],
    });
    expect(nativeOnly).toEqual(["messages[0].content[0]", "tools[0]", "stop_sequences"]);
  });

  it("requires max_tokens", () => {
    const r = messagesRequestSchema.safeParse({ model: "m", messages: [] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["max_tokens"]);
  });
});

describe("chat -> Anthropic answers", () => {
  it("converts a completion with reasoning and tools", () => {
    const message = convertCompletionToMessage({
      id: "gen-1", object: "chat.completion", created: 0, model: "x/y",
      choices: [{ index: 0, finish_reason: "tool_calls", logprobs: null, message: { role: "assistant", content: "ok", refusal: null, reasoning_details: [{ type: "reasoning.text", text: "think", signature: "s" }], tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "" } }] } }],
      usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 10 } },
    });
    expect(message).toMatchObject({
      content: [{ type: "thinking", thinking: "think", signature: "s" }, { type: "text", text: "ok" }, { type: "tool_use", id: "c", name: "f", input: {} }],
      stop_reason: "tool_use",
      usage: { input_tokens: 30, cache_read_input_tokens: 60, cache_creation_input_tokens: 10, output_tokens: 5 },
    });
  });

  it("streams parallel tool calls as separate blocks with consecutive indexes", () => {
    const f = createMessagesFormatter();
    const who = { id: "gen", model: "x/y", provider: "p", created: 0 };
    const chunk = (delta: object, finish: string | null = null) => ({ id: "", object: "chat.completion.chunk", created: 0, model: "", choices: [{ index: 0, delta, finish_reason: finish }] }) as ChatCompletionChunk;
    let out = f.chunk(chunk({ reasoning_details: [{ type: "reasoning.text", text: "a", index: 0 }] }), who);
    out += f.chunk(chunk({ reasoning_details: [{ type: "reasoning.text", text: "", signature: "SIG", index: 0 }] }), who);
    out += f.chunk(chunk({ tool_calls: [{ index: 0, id: "c0", function: { name: "f", arguments: "{}" } }] }), who);
    out += f.chunk(chunk({ tool_calls: [{ index: 1, id: "c1", function: { name: "g", arguments: '{"x"' } }] }), who);
    out += f.chunk(chunk({ tool_calls: [{ index: 1, function: { arguments: ":1}" } }] }, "tool_calls"), who);
    out += f.end({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }, who);
    const events = out.split("\n\n").filter(Boolean).map((e) => JSON.parse(e.split("\ndata: ")[1]!) as { type: string; index?: number; delta?: Record<string, unknown> });
    expect(events.map((e) => `${e.type}${e.index ?? ""}`)).toEqual([
      "message_start", "ping",
      "content_block_start0", "content_block_delta0", "content_block_delta0", "content_block_stop0",
      "content_block_start1", "content_block_delta1", "content_block_stop1",
      "content_block_start2", "content_block_delta2", "content_block_delta2", "content_block_stop2",
      "message_delta", "message_stop",
    ]);
    expect(events[4]!.delta).toEqual({ type: "signature_delta", signature: "SIG" });
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: "tool_use" }, usage: { input_tokens: 3, output_tokens: 4 } });
  });

  it.each([
    [400, "invalid_request_error"], [401, "authentication_error"], [402, "billing_error"], [403, "permission_error"],
    [404, "not_found_error"], [413, "request_too_large"], [429, "rate_limit_error"], [500, "api_error"], [503, "overloaded_error"],
  ])("maps status %i to %s", (status, type) => {
    expect(toAnthropicError(new GatewayError({ status, code: "x", message: "m" })).body.error.type).toBe(type);
  });
});
