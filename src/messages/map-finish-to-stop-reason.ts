/**
 * OpenAI `finish_reason` as Anthropic `stop_reason`
 * (https://docs.anthropic.com/en/api/handling-stop-reasons). The chat format
 * does not say which stop sequence matched, so a stop is `end_turn`.
 */
export function mapFinishToStopReason(finish: string | null | undefined): string {
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
