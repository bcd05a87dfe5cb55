import type { MessagesContentBlock } from "./messages-request-schema.js";
import { convertSourceBlock, type ChatPart } from "./convert-source-block.js";

type ChatMessage = Record<string, unknown>;

/**
 * An Anthropic user turn as OpenAI messages. `tool_result` blocks become
 * `tool` messages placed first, because the chat format wants them right
 * after the assistant message that called the tools; the other blocks
 * follow as one user message. Blocks without an OpenAI form are listed in
 * `nativeOnly` (by parameter path) so only Anthropic routes are tried.
 */
export function convertUserTurn(content: string | MessagesContentBlock[], path: string, nativeOnly: string[]): ChatMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const tools: ChatMessage[] = [];
  const parts: ChatPart[] = [];
  content.forEach((block, i) => {
    const where = `${path}.content[${i}]`;
    if (block.type === "tool_result") {
      tools.push(toToolMessage(block as Extract<MessagesContentBlock, { type: "tool_result" }>, where, nativeOnly));
      return;
    }
    const part = convertSourceBlock(block);
    if (part) parts.push(part);
    else nativeOnly.push(where);
  });
  return parts.length > 0 ? [...tools, { role: "user", content: parts }] : tools;
}

function toToolMessage(block: { tool_use_id: string; content?: unknown; is_error?: boolean }, where: string, nativeOnly: string[]): ChatMessage {
  const parts: ChatPart[] = [];
  // The chat format has no error flag on tool results; the model still has to know the call failed.
  if (block.is_error) parts.push({ type: "text", text: "[tool error]" });
  if (typeof block.content === "string") parts.push({ type: "text", text: block.content });
  else if (Array.isArray(block.content)) {
    block.content.forEach((inner, j) => {
      const part = convertSourceBlock(inner as MessagesContentBlock);
      if (part) parts.push(part);
      else nativeOnly.push(`${where}.content[${j}]`);
    });
  }
  const textOnly = parts.every((p) => p.type === "text");
  const content = textOnly ? parts.map((p) => String(p.text)).join("\n") : parts;
  return { role: "tool", tool_call_id: block.tool_use_id, content };
}
