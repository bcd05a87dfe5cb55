import type { ChatCompletionChunk } from "../../schemas/chat-response.js";
import type { AnthropicBlockDelta } from "./anthropic-types.js";
import { ANTHROPIC_REASONING_FORMAT } from "./anthropic-types.js";
import type { AnthropicStreamState } from "./create-anthropic-stream-state.js";
import { emitAnthropicText } from "./emit-anthropic-text.js";

/**
 * `content_block_delta` (https://docs.anthropic.com/en/docs/build-with-claude/streaming#content-block-delta-types).
 * Tool arguments stream as they come, so their concatenation is the JSON
 * input; empty fragments (a zero-argument tool sends `partial_json: ""`) emit nothing.
 */
export function handleAnthropicBlockDelta(state: AnthropicStreamState, index: number, delta: AnthropicBlockDelta): ChatCompletionChunk[] {
  const block = state.blocks.get(index);
  if (!block || block.kind === "ignored") return [];
  switch (delta.type) {
    case "text_delta":
      return block.kind === "text" ? emitAnthropicText(state, delta.text) : [];
    case "input_json_delta":
      return jsonDelta(state, block.kind, block.toolIndex, delta.partial_json, () => (block.streamed = true));
    case "thinking_delta":
      if (state.plan.excludeReasoning || delta.thinking.length === 0) return [];
      return [state.chunk({ reasoning: delta.thinking, reasoning_details: [{ type: "reasoning.text", text: delta.thinking, format: ANTHROPIC_REASONING_FORMAT, index: block.reasoningIndex }] })];
    case "signature_delta":
      // The signature lets the caller send this thinking back on the next turn.
      if (state.plan.excludeReasoning) return [];
      return [state.chunk({ reasoning_details: [{ type: "reasoning.text", text: "", signature: delta.signature, format: ANTHROPIC_REASONING_FORMAT, index: block.reasoningIndex }] })];
    case "citations_delta":
      // Citations arrive before their text; their range is known at content_block_stop.
      if (block.kind === "text") block.citations.push(delta.citation);
      return [];
    default:
      return [];
  }
}

function jsonDelta(state: AnthropicStreamState, kind: string, toolIndex: number, partial: string, markStreamed: () => void): ChatCompletionChunk[] {
  if (typeof partial !== "string" || partial.length === 0) return [];
  if (kind === "tool") {
    markStreamed();
    return [state.chunk({ tool_calls: [{ index: toolIndex, function: { arguments: partial } }] })];
  }
  if (kind === "json") {
    markStreamed();
    state.contentLength += partial.length;
    return [state.chunk({ content: partial })];
  }
  return [];
}
