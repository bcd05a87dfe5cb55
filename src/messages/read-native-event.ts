import type { ChatCompletionChunk } from "../schemas/chat-response.js";

/** Field of a chat chunk that carries an Anthropic event unchanged (see create-native-anthropic-provider.ts). */
export const NATIVE_EVENT_FIELD = "anthropic_event";

/** The native Anthropic event a chunk carries, if any. */
export function readNativeEvent(chunk: ChatCompletionChunk): ({ type: string } & Record<string, unknown>) | undefined {
  const event = chunk[NATIVE_EVENT_FIELD];
  if (event !== null && typeof event === "object" && typeof (event as { type?: unknown }).type === "string") {
    return event as { type: string } & Record<string, unknown>;
  }
  return undefined;
}
