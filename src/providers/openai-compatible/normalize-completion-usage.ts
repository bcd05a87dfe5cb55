import type { Usage } from "../../schemas/chat-response.js";
import { normalizeOpenAIUsage } from "./normalize-openai-usage.js";

/** Legacy completions usage (same fields as chat; absent usage counts as zero). */
export function normalizeCompletionUsage(raw: unknown): Usage {
  return normalizeOpenAIUsage(raw) ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
}
