import type { FinishReason } from "../../schemas/chat-response.js";

/**
 * Gemini `finishReason` -> OpenAI `finish_reason`
 * (https://ai.google.dev/api/generate-content#FinishReason). STOP with
 * function calls is `tool_calls` (Gemini has no reason of its own for it).
 * The malformed-call reasons never get here: checkGeminiFinishReason turns
 * them into errors. Reasons that mean the answer is unusable map to "error";
 * unknown future reasons to "stop". The native reason is always kept
 * beside it as `native_finish_reason`.
 */
const MAP: Record<string, FinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  BLOCKLIST: "content_filter",
  SPII: "content_filter",
  LANGUAGE: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  IMAGE_RECITATION: "content_filter",
  OTHER: "error",
  TOO_MANY_TOOL_CALLS: "error",
  MISSING_THOUGHT_SIGNATURE: "error",
  IMAGE_OTHER: "error",
  NO_IMAGE: "error",
};

export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason | null {
  if (reason === undefined) return null;
  const mapped = MAP[reason] ?? "stop";
  return mapped === "stop" && hasToolCalls ? "tool_calls" : mapped;
}
