import type { ChatMessage } from "../../schemas/chat-request-schema.js";
import { convertUserParts } from "./convert-user-parts.js";
import type { GeminiPart } from "./gemini-types.js";
import type { GeminiConvertOptions } from "./remote-media.js";

type ToolMessage = Extract<ChatMessage, { role: "tool" }>;

/**
 * A tool message -> a `functionResponse` part (https://ai.google.dev/api/caching#FunctionResponse).
 * `name` is required by Gemini and is recovered by the caller from the
 * assistant tool call with this id. `response` must be a JSON object: the
 * content itself when it parses as one, else `{ result: text }`. Images in
 * a tool result follow as sibling parts, never dropped (LiteLLM #23712).
 */
export function convertToolMessage(message: ToolMessage, name: string, param: string, options: GeminiConvertOptions): GeminiPart[] {
  const content = message.content;
  const text = typeof content === "string" ? content : content.map((p) => (p.type === "text" ? p.text : "")).join("");
  const media = typeof content === "string" ? [] : convertUserParts(content.filter((p) => p.type !== "text"), param, options);
  const part: GeminiPart = { functionResponse: { id: message.tool_call_id, name, response: toResponseObject(text) } };
  return [part, ...media];
}

function toResponseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    /* plain text */
  }
  return { result: text };
}
