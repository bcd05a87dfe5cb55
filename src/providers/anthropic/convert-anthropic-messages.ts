import type { ChatMessage } from "../../schemas/chat-request-schema.js";
import type { AnthropicCacheControl, AnthropicMessage, AnthropicRequestBlock, AnthropicTextBlock } from "./anthropic-types.js";
import { convertAnthropicAssistantMessage } from "./convert-anthropic-assistant-message.js";
import { convertAnthropicContentPart } from "./convert-anthropic-content-part.js";
import { convertAnthropicToolMessage } from "./convert-anthropic-tool-message.js";
import { mergeAnthropicTurns } from "./merge-anthropic-turns.js";
import { pairAnthropicToolResults } from "./pair-anthropic-tool-results.js";

type Warn = (param: string, reason: string) => void;

export interface AnthropicConversation {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/**
 * OpenAI messages as Anthropic's `system` plus alternating turns. Anthropic
 * has no system role inside `messages`: every system and developer message,
 * wherever it stands, joins the top-level `system` in order
 * (https://docs.anthropic.com/en/api/messages, `system`).
 */
export function convertAnthropicMessages(messages: ChatMessage[], warn: Warn): AnthropicConversation {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case "system":
      case "developer":
        system.push(...toSystemBlocks(message.content));
        break;
      case "user":
        turns.push({ role: "user", content: convertUserContent(message.content, param, warn) });
        break;
      case "assistant":
        turns.push({ role: "assistant", content: convertAnthropicAssistantMessage(message, param, warn) });
        break;
      case "tool":
        turns.push({ role: "user", content: [convertAnthropicToolMessage(message, param, warn)] });
        break;
    }
  });
  return { system, messages: trimFinalAssistant(pairAnthropicToolResults(mergeAnthropicTurns(turns), warn)) };
}

function toSystemBlocks(content: string | Array<{ type: "text"; text: string }>): AnthropicTextBlock[] {
  const parts = typeof content === "string" ? [{ type: "text" as const, text: content }] : content;
  return parts
    .filter((p) => p.text.length > 0)
    .map((p) => {
      const block: AnthropicTextBlock = { type: "text", text: p.text };
      const cache = (p as { cache_control?: AnthropicCacheControl }).cache_control;
      if (cache && typeof cache === "object") block.cache_control = cache;
      return block;
    });
}

function convertUserContent(content: Extract<ChatMessage, { role: "user" }>["content"], param: string, warn: Warn): AnthropicRequestBlock[] {
  if (typeof content === "string") return content.length > 0 ? [{ type: "text", text: content }] : [];
  const blocks: AnthropicRequestBlock[] = [];
  content.forEach((part, j) => {
    const block = convertAnthropicContentPart(part, `${param}.content[${j}]`, warn);
    if (block) blocks.push(block);
  });
  return blocks;
}

/**
 * A final assistant turn is a prefill, and Anthropic rejects one that ends
 * in whitespace ("final assistant content cannot end with trailing whitespace").
 */
function trimFinalAssistant(turns: AnthropicMessage[]): AnthropicMessage[] {
  const last = turns[turns.length - 1];
  const block = last?.role === "assistant" ? last.content[last.content.length - 1] : undefined;
  if (block?.type === "text") block.text = block.text.trimEnd();
  return turns;
}
