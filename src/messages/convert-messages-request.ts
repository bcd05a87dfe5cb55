import type { MessagesRequest } from "./messages-request-schema.js";
import { convertAssistantTurn } from "./convert-assistant-turn.js";
import { convertMessagesTools } from "./convert-messages-tools.js";
import { convertUserTurn } from "./convert-user-turn.js";

export interface ConvertedMessagesRequest {
  /** The request in the chat format, validated by the normal pipeline afterwards. */
  chat: Record<string, unknown>;
  /** Parameter paths with no chat form: only Anthropic routes (fed the original body) can serve the request. */
  nativeOnly: string[];
}

/** The chat format allows at most four stop sequences; Anthropic allows more. */
const MAX_CHAT_STOP = 4;

/**
 * An Anthropic Messages request as our OpenAI ChatRequest
 * (https://docs.anthropic.com/en/api/messages): system -> system message,
 * thinking -> reasoning budget, stop_sequences -> stop, metadata.user_id ->
 * user, top_k kept as an extra field for the routes that honour it.
 */
export function convertMessagesRequest(req: MessagesRequest): ConvertedMessagesRequest {
  const nativeOnly: string[] = [];
  const messages: Array<Record<string, unknown>> = [];
  if (typeof req.system === "string") messages.push({ role: "system", content: req.system });
  else if (req.system && req.system.length > 0) messages.push({ role: "system", content: req.system });
  req.messages.forEach((m, i) => {
    const path = `messages[${i}]`;
    if (m.role === "user") messages.push(...convertUserTurn(m.content, path, nativeOnly));
    else messages.push(convertAssistantTurn(m.content, path, nativeOnly));
  });

  const chat: Record<string, unknown> = { model: req.model, messages, max_tokens: req.max_tokens, ...convertMessagesTools(req, nativeOnly) };
  if (req.stream !== undefined) chat.stream = req.stream;
  if (req.temperature !== undefined) chat.temperature = req.temperature;
  if (req.top_p !== undefined) chat.top_p = req.top_p;
  if (req.top_k !== undefined) chat.top_k = req.top_k;
  if (req.stop_sequences && req.stop_sequences.length > 0) {
    if (req.stop_sequences.length > MAX_CHAT_STOP) nativeOnly.push("stop_sequences");
    chat.stop = req.stop_sequences.slice(0, MAX_CHAT_STOP);
  }
  if (typeof req.metadata?.user_id === "string") chat.user = req.metadata.user_id;
  if (req.thinking?.type === "enabled") chat.reasoning = { max_tokens: req.thinking.budget_tokens };
  else if (req.thinking?.type === "adaptive") chat.reasoning = { enabled: true };
  return { chat, nativeOnly };
}
