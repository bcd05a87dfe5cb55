import type { ChatCompletion, ReasoningDetail } from "../schemas/chat-response.js";
import { mapFinishToStopReason } from "./map-finish-to-stop-reason.js";
import { parseToolInput } from "./parse-tool-input.js";
import { toAnthropicUsage } from "./to-anthropic-usage.js";

/**
 * A chat completion as an Anthropic `message`
 * (https://docs.anthropic.com/en/api/messages#response): reasoning first as
 * thinking blocks (with their signatures, so the caller can send them
 * back), then the text, then one `tool_use` block per tool call.
 */
export function convertCompletionToMessage(completion: ChatCompletion): Record<string, unknown> {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: Array<Record<string, unknown>> = [];
  const details = message?.reasoning_details ?? [];
  if (details.length > 0) content.push(...details.map(toThinkingBlock));
  else if (message?.reasoning) content.push({ type: "thinking", thinking: message.reasoning, signature: "" });
  if (message?.content) content.push({ type: "text", text: message.content });
  for (const call of message?.tool_calls ?? []) {
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseToolInput(call.function.arguments) });
  }
  return {
    id: completion.id,
    type: "message",
    role: "assistant",
    model: completion.model,
    content,
    stop_reason: mapFinishToStopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(completion.usage),
  };
}

function toThinkingBlock(detail: ReasoningDetail): Record<string, unknown> {
  if (detail.type === "reasoning.encrypted") return { type: "redacted_thinking", data: detail.data ?? "" };
  return { type: "thinking", thinking: detail.text ?? "", signature: detail.signature ?? "" };
}
