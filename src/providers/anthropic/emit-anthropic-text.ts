import type { ChatCompletionChunk } from "../../schemas/chat-response.js";
import type { AnthropicStreamState } from "./create-anthropic-stream-state.js";

/**
 * Emits streamed answer text as a content delta. With response_format (the
 * answer-tool mode) text is held back until the stream shows whether the
 * answer tool is used: if it is, the text is dropped so `content` stays
 * valid JSON; if not, it is sent at the end.
 */
export function emitAnthropicText(state: AnthropicStreamState, text: string): ChatCompletionChunk[] {
  if (text.length === 0) return [];
  if (state.plan.responseToolName !== undefined) {
    if (!state.jsonSeen) state.pendingText += text;
    return [];
  }
  state.contentLength += text.length;
  return [state.chunk({ content: text })];
}
