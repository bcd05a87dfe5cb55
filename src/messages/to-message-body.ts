import type { ChatCompletion } from "../schemas/chat-response.js";
import { convertCompletionToMessage } from "./convert-completion-to-message.js";
import { NATIVE_MESSAGE_FIELD } from "./create-native-anthropic-provider.js";

/**
 * The /messages answer: the native Anthropic message when an Anthropic
 * route served it (unchanged but for our generation id and the catalogue
 * model id), else the chat completion converted.
 */
export function toMessageBody(completion: ChatCompletion): Record<string, unknown> {
  const native = completion[NATIVE_MESSAGE_FIELD];
  if (native !== null && typeof native === "object") return { ...(native as Record<string, unknown>), id: completion.id, model: completion.model };
  return convertCompletionToMessage(completion);
}
