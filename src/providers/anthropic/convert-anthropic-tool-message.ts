import type { ChatMessage } from "../../schemas/chat-request-schema.js";
import type { AnthropicMediaBlock, AnthropicToolResultBlock } from "./anthropic-types.js";
import { convertAnthropicContentPart } from "./convert-anthropic-content-part.js";

type ToolMessage = Extract<ChatMessage, { role: "tool" }>;
type Warn = (param: string, reason: string) => void;

/**
 * A `tool` message as a `tool_result` block for the next user turn. Images
 * (and documents) in the result stay blocks inside the tool result, which
 * Anthropic accepts (LiteLLM #23712 dropped them).
 */
export function convertAnthropicToolMessage(message: ToolMessage, param: string, warn: Warn): AnthropicToolResultBlock {
  if (typeof message.content === "string") {
    return { type: "tool_result", tool_use_id: message.tool_call_id, content: message.content };
  }
  const content: AnthropicMediaBlock[] = [];
  message.content.forEach((part, i) => {
    const block = convertAnthropicContentPart(part, `${param}.content[${i}]`, warn);
    if (block) content.push(block);
  });
  return { type: "tool_result", tool_use_id: message.tool_call_id, content };
}
