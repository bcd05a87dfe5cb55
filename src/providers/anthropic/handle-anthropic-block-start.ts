import type { ChatCompletionChunk } from "../../schemas/chat-response.js";
import type { AnthropicResponseBlock } from "./anthropic-types.js";
import { ANTHROPIC_REASONING_FORMAT } from "./anthropic-types.js";
import type { AnthropicStreamState, StreamBlock } from "./create-anthropic-stream-state.js";
import { emitAnthropicText } from "./emit-anthropic-text.js";

/**
 * `content_block_start`: records what the block is and emits its opening
 * chunk. A client tool call gets the next OpenAI `index` (Anthropic's block
 * index counts text and thinking blocks too, and reusing it, or 0 for all,
 * collapses parallel calls: mozilla-ai/any-llm PR #970, LiteLLM #15307), and
 * its id, type and name come on this first chunk with arguments "".
 */
export function handleAnthropicBlockStart(state: AnthropicStreamState, index: number, block: AnthropicResponseBlock): ChatCompletionChunk[] {
  const entry: StreamBlock = { kind: "ignored", toolIndex: -1, reasoningIndex: -1, streamed: false, input: undefined, textStart: state.contentLength, citations: [] };
  state.blocks.set(index, entry);
  const b = block as { type: string; text?: unknown; id?: unknown; name?: unknown; input?: unknown; thinking?: unknown; data?: unknown };
  switch (b.type) {
    case "text":
      entry.kind = "text";
      return typeof b.text === "string" && b.text.length > 0 ? emitAnthropicText(state, b.text) : [];
    case "tool_use":
      entry.input = b.input;
      if (state.plan.responseToolName !== undefined && b.name === state.plan.responseToolName) {
        // The answer tool: its input streams as content, and held-back text is not part of the JSON answer.
        entry.kind = "json";
        state.jsonSeen = true;
        state.pendingText = "";
        return [];
      }
      entry.kind = "tool";
      entry.toolIndex = state.toolCount++;
      return [state.chunk({ tool_calls: [{ index: entry.toolIndex, id: String(b.id), type: "function", function: { name: String(b.name), arguments: "" } }] })];
    case "thinking":
      entry.kind = "thinking";
      entry.reasoningIndex = state.reasoningCount++;
      if (state.plan.excludeReasoning || typeof b.thinking !== "string" || b.thinking.length === 0) return [];
      return [state.chunk({ reasoning: b.thinking, reasoning_details: [{ type: "reasoning.text", text: b.thinking, format: ANTHROPIC_REASONING_FORMAT, index: entry.reasoningIndex }] })];
    case "redacted_thinking":
      entry.kind = "thinking";
      entry.reasoningIndex = state.reasoningCount++;
      if (state.plan.excludeReasoning) return [];
      return [state.chunk({ reasoning_details: [{ type: "reasoning.encrypted", data: String(b.data), format: ANTHROPIC_REASONING_FORMAT, index: entry.reasoningIndex }] })];
    default:
      // server_tool_use, web_search_tool_result, ...: run by Anthropic, not the caller's tool calls.
      return [];
  }
}
