import type { MessagesContentBlock } from "./messages-request-schema.js";

/** The `format` the Anthropic provider recognises on reasoning_details sent back to it. */
export const ANTHROPIC_REASONING_FORMAT = "anthropic-claude-v1";

/**
 * An Anthropic assistant turn as one OpenAI assistant message: text blocks
 * joined into `content`, `tool_use` as `tool_calls` (input serialised),
 * thinking blocks as `reasoning_details` with their signatures, so a
 * translated Anthropic route can still send them back
 * (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks).
 */
export function convertAssistantTurn(content: string | MessagesContentBlock[], path: string, nativeOnly: string[]): Record<string, unknown> {
  if (typeof content === "string") return { role: "assistant", content };
  let text = "";
  const toolCalls: unknown[] = [];
  const details: unknown[] = [];
  content.forEach((block, i) => {
    const b = block as Record<string, unknown> & { type: string };
    switch (b.type) {
      case "text":
        text += String(b.text);
        break;
      case "tool_use":
        toolCalls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
        break;
      case "thinking":
        details.push({ type: "reasoning.text", text: b.thinking, signature: b.signature ?? null, format: ANTHROPIC_REASONING_FORMAT, index: details.length });
        break;
      case "redacted_thinking":
        details.push({ type: "reasoning.encrypted", data: b.data, format: ANTHROPIC_REASONING_FORMAT, index: details.length });
        break;
      default:
        nativeOnly.push(`${path}.content[${i}]`);
    }
  });
  const message: Record<string, unknown> = { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (details.length > 0) message.reasoning_details = details;
  return message;
}
