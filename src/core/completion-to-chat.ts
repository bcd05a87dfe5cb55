import type { CompletionRequest } from "../schemas/completion-request-schema.js";

/**
 * A legacy completion request as a chat request, for chat-only upstreams:
 * the prompt becomes one user message; sampling fields carry over.
 */
export function completionToChat(req: CompletionRequest, prompt: string): Record<string, unknown> {
  const { prompt: _prompt, ...rest } = req;
  return { ...rest, messages: [{ role: "user", content: prompt }] };
}
