import type { Usage } from "../schemas/chat-response.js";

export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/**
 * Our usage in Anthropic's terms. Anthropic's `input_tokens` excludes cache
 * reads and writes, which are reported beside it
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance),
 * while `prompt_tokens` includes them: they are subtracted out once here.
 */
export function toAnthropicUsage(usage: Usage | null | undefined): AnthropicUsageOut {
  const read = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const written = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - read - written),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: written,
  };
}
