import type { FinishReason } from "../../schemas/chat-response.js";

/**
 * Anthropic `stop_reason` to OpenAI `finish_reason`
 * (https://docs.anthropic.com/en/api/handling-stop-reasons). `pause_turn`
 * (a server tool loop paused) ends this answer like a normal stop; the
 * native reason is kept beside it for callers who need the difference.
 */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
    default:
      return "stop";
  }
}
