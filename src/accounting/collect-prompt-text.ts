import type { ChatMessage } from "../schemas/chat-request-schema.js";

/** Tokens billed per image when only an upper bound is needed (a high-detail 2048px tile set). */
export const IMAGE_TOKEN_ALLOWANCE = 1_600;
/** Per-message framing overhead of chat formats (role markers). */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** The text of a conversation (and how many media parts it has), for token counting. */
export function collectPromptText(messages: ChatMessage[], tools?: unknown[]): { text: string; media: number } {
  let text = "";
  let media = 0;
  for (const m of messages) {
    const content = (m as { content?: unknown }).content;
    if (typeof content === "string") text += content + "\n";
    else if (Array.isArray(content)) {
      for (const part of content as Array<{ type: string; text?: string }>) {
        if (part.type === "text" && typeof part.text === "string") text += part.text + "\n";
        else if (part.type !== "refusal") media++;
      }
    }
    const calls = (m as { tool_calls?: Array<{ function: { name: string; arguments: string } }> }).tool_calls;
    if (calls) for (const c of calls) text += c.function.name + c.function.arguments + "\n";
  }
  if (tools && tools.length > 0) text += JSON.stringify(tools);
  return { text, media };
}
