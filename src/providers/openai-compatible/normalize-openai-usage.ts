import type { Usage } from "../../schemas/chat-response.js";

type Raw = Record<string, unknown> & {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; audio_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number } | null;
  prompt_cache_hit_tokens?: number;
};

/**
 * OpenAI-compatible usage into our shape. DeepSeek reports cache hits as
 * `prompt_cache_hit_tokens` (api-docs.deepseek.com, "Context Caching").
 */
export function normalizeOpenAIUsage(raw: unknown): Usage | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const u = raw as Raw;
  const prompt = num(u.prompt_tokens);
  const reasoning = num(u.completion_tokens_details?.reasoning_tokens);
  let completion = num(u.completion_tokens);
  // xAI counts reasoning outside completion_tokens (total = prompt + completion + reasoning);
  // OpenAI counts it inside. Bill reasoning at the output price either way.
  if (reasoning > 0 && num(u.total_tokens) === prompt + completion + reasoning) completion += reasoning;
  const cached = num(u.prompt_tokens_details?.cached_tokens ?? u.prompt_cache_hit_tokens);
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
  const write = u.prompt_tokens_details?.cache_write_tokens;
  if (typeof write === "number") usage.prompt_tokens_details!.cache_write_tokens = write;
  return usage;
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}
