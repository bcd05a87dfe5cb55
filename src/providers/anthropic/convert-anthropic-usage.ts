import type { Usage } from "../../schemas/chat-response.js";
import type { AnthropicUsage } from "./anthropic-types.js";

/**
 * Anthropic usage as OpenAI usage. Anthropic's `input_tokens` excludes
 * cached tokens (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance),
 * while OpenAI's `prompt_tokens` includes them, so cache reads and writes
 * are added in, once, and named in the details so the gateway prices them
 * at cache rates instead of billing them twice (LiteLLM #9812, #11789).
 * `output_tokens` already includes thinking tokens. Cost is left to the gateway.
 */
export function convertAnthropicUsage(usage: AnthropicUsage | undefined): Usage {
  const input = count(usage?.input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  const completion = count(usage?.output_tokens);
  const prompt = input + cacheRead + cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
}

function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}
