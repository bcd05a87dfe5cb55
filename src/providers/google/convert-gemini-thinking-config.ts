import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import type { GeminiThinkingConfig } from "./gemini-types.js";

/**
 * Token budgets per OpenAI reasoning effort. Every value is inside the range
 * all Gemini 2.5 thinking models accept (Pro 128-32768, Flash 0-24576:
 * https://ai.google.dev/gemini-api/docs/thinking#set-budget); Gemini 3 still
 * takes `thinkingBudget` for backwards compatibility.
 */
const BUDGETS = { none: 0, minimal: 512, low: 2048, medium: 8192, high: 16384, xhigh: 24576 } as const;

/**
 * `reasoning` / `reasoning_effort` -> `generationConfig.thinkingConfig`.
 * `reasoning.max_tokens` is the budget itself; `enabled: true` alone asks
 * for a dynamic budget (-1); thoughts are included (as `message.reasoning`)
 * unless `reasoning.exclude` is set.
 */
export function convertGeminiThinkingConfig(request: ChatRequest): GeminiThinkingConfig | undefined {
  const reasoning = request.reasoning;
  const effort = reasoning?.effort ?? request.reasoning_effort ?? undefined;
  let budget: number | undefined;
  if (reasoning?.max_tokens !== undefined) budget = reasoning.max_tokens;
  else if (effort !== undefined) budget = BUDGETS[effort];
  else if (reasoning?.enabled === false) budget = 0;
  else if (reasoning?.enabled === true) budget = -1;
  if (budget === undefined && reasoning?.exclude === undefined) return undefined;
  const config: GeminiThinkingConfig = {};
  if (budget !== undefined) config.thinkingBudget = budget;
  config.includeThoughts = reasoning?.exclude !== true && budget !== 0;
  return config;
}
