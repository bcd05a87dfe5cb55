import type { ChatMessage } from "../schemas/chat-request-schema.js";

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: { text?: string }) => p.text ?? "").join("");
  return "";
}

/**
 * For models without a system role (new-api #847; o1-mini rejects
 * `developer`): system and developer messages become one leading user message.
 */
export function applySystemRolePolicy(messages: ChatMessage[], noSystemRole: boolean): ChatMessage[] {
  if (!noSystemRole) return messages;
  const system = messages.filter((m) => m.role === "system" || m.role === "developer");
  if (system.length === 0) return messages;
  const rest = messages.filter((m) => m.role !== "system" && m.role !== "developer");
  const lead: ChatMessage = { role: "user", content: system.map((m) => textOf(m.content)).join("\n\n") };
  return [lead, ...rest];
}
