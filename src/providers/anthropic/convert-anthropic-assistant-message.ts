import type { ChatMessage } from "../../schemas/chat-request-schema.js";
import type { AnthropicRequestBlock } from "./anthropic-types.js";
import { convertAnthropicReasoningDetails } from "./convert-anthropic-reasoning-details.js";
import { parseToolArguments } from "./parse-tool-arguments.js";

type AssistantMessage = Extract<ChatMessage, { role: "assistant" }>;
type Warn = (param: string, reason: string) => void;

/**
 * An assistant message as Anthropic content blocks: thinking blocks first
 * (Anthropic requires a turn's thinking to precede its text and tool use),
 * then text, then one `tool_use` per tool call with the caller's ids kept.
 */
export function convertAnthropicAssistantMessage(message: AssistantMessage, param: string, warn: Warn): AnthropicRequestBlock[] {
  const blocks: AnthropicRequestBlock[] = [];
  if (message.reasoning_details) {
    blocks.push(...convertAnthropicReasoningDetails(message.reasoning_details, `${param}.reasoning_details`, warn));
  }
  const content = message.content;
  if (typeof content === "string") {
    if (content.length > 0) blocks.push({ type: "text", text: content });
  } else if (Array.isArray(content)) {
    for (const part of content) {
      const text = part.type === "text" ? part.text : part.refusal;
      if (text.length > 0) blocks.push({ type: "text", text });
    }
  }
  message.tool_calls?.forEach((call, i) => {
    const input = parseToolArguments(call.function.arguments, `${param}.tool_calls[${i}].function.arguments`, warn);
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input });
  });
  return blocks;
}
