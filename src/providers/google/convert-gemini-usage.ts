import type { Usage } from "../../schemas/chat-response.js";
import type { GeminiUsageMetadata } from "./gemini-types.js";

/**
 * `usageMetadata` -> OpenAI usage (https://ai.google.dev/api/generate-content#UsageMetadata).
 * Prompt tokens include the tool-use prompt (search grounding) tokens.
 * Completion tokens include the thinking tokens, as OpenAI's do, so they
 * are billed at the output price; `reasoning_tokens` says how many.
 * Cached tokens are part of `promptTokenCount` already. Cost is the core's.
 */
export function convertGeminiUsage(meta: GeminiUsageMetadata | undefined): Usage {
  const prompt = (meta?.promptTokenCount ?? 0) + (meta?.toolUsePromptTokenCount ?? 0);
  const reasoning = meta?.thoughtsTokenCount ?? 0;
  const completion = (meta?.candidatesTokenCount ?? 0) + reasoning;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (meta?.cachedContentTokenCount !== undefined) usage.prompt_tokens_details = { cached_tokens: meta.cachedContentTokenCount };
  if (meta?.thoughtsTokenCount !== undefined) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}
