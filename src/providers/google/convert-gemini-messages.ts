import { invalidRequest } from "../../errors/errors.js";
import type { ChatMessage } from "../../schemas/chat-request-schema.js";
import { convertAssistantMessage } from "./convert-assistant-message.js";
import { convertToolMessage } from "./convert-tool-message.js";
import { convertUserParts } from "./convert-user-parts.js";
import type { GeminiContent, GeminiRequest } from "./gemini-types.js";
import type { GeminiConvertOptions } from "./remote-media.js";

/**
 * OpenAI messages -> `systemInstruction` + `contents`
 * (https://ai.google.dev/gemini-api/docs/text-generation#system-instructions).
 * System and developer messages, one or many and anywhere, become the
 * system instruction (one text part each). Assistant turns are `model`,
 * user and tool turns are `user`; consecutive turns of one role are merged
 * so roles alternate, which also groups parallel tool results into one turn.
 */
export function convertGeminiMessages(messages: ChatMessage[], options: GeminiConvertOptions): Pick<GeminiRequest, "systemInstruction" | "contents"> {
  const names = toolCallNames(messages);
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const push = (role: GeminiContent["role"], parts: GeminiContent["parts"]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case "system":
      case "developer":
        system.push({ text: typeof message.content === "string" ? message.content : message.content.map((p) => p.text).join("") });
        break;
      case "user":
        push("user", convertUserParts(message.content, param, options));
        break;
      case "assistant":
        push("model", convertAssistantMessage(message, param, options));
        break;
      case "tool":
        push("user", convertToolMessage(message, toolName(message, names, param), param, options));
        break;
    }
  });
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

/** tool_call id -> function name, from every assistant message (Gemini needs the name on each functionResponse). */
function toolCallNames(messages: ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  return names;
}

function toolName(message: Extract<ChatMessage, { role: "tool" }>, names: Map<string, string>, param: string): string {
  const name = names.get(message.tool_call_id) ?? (typeof message.name === "string" ? message.name : undefined);
  if (name !== undefined) return name;
  throw invalidRequest(
    `${param}.tool_call_id "${message.tool_call_id}" does not match any earlier assistant tool_calls id; Gemini needs the function name of every tool result`,
    `${param}.tool_call_id`,
  );
}
