import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import type { AnthropicThinkingConfig } from "./anthropic-types.js";

type Warn = (param: string, reason: string) => void;

/**
 * Budgets for OpenAI-style efforts. Anthropic takes a token budget instead of
 * an effort; 1024 is its minimum
 * (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#working-with-thinking-budgets).
 */
const EFFORT_BUDGETS: Record<string, number> = { minimal: 1024, low: 1024, medium: 4096, high: 16384, xhigh: 32768 };
const MIN_BUDGET = 1024;

/**
 * `reasoning` / `reasoning_effort` as Anthropic's `thinking`, or undefined
 * when thinking is off. `budget_tokens` must be at least 1024 and below
 * `max_tokens`; a budget moved to fit is reported, never silently clamped.
 */
export function convertAnthropicThinking(request: ChatRequest, maxTokens: number, warn: Warn): AnthropicThinkingConfig | undefined {
  const asked = requestedBudget(request);
  if (asked === undefined) return undefined;
  const param = request.reasoning ? "reasoning" : "reasoning_effort";
  let budget = asked;
  if (budget < MIN_BUDGET) {
    warn(param, `Anthropic's minimum thinking budget is ${MIN_BUDGET} tokens; raised from ${budget}`);
    budget = MIN_BUDGET;
  }
  if (budget >= maxTokens) {
    if (maxTokens - 1 < MIN_BUDGET) {
      warn(param, `thinking needs max_tokens above ${MIN_BUDGET}; max_tokens is ${maxTokens}, so thinking was not enabled`);
      return undefined;
    }
    warn(param, `the thinking budget must be below max_tokens (${maxTokens}); lowered from ${budget} to ${maxTokens - 1}`);
    budget = maxTokens - 1;
  }
  return { type: "enabled", budget_tokens: budget };
}

function requestedBudget(request: ChatRequest): number | undefined {
  const reasoning = request.reasoning;
  if (reasoning) {
    if (reasoning.enabled === false || reasoning.effort === "none") return undefined;
    if (reasoning.max_tokens !== undefined) return reasoning.max_tokens;
    if (reasoning.effort !== undefined) return EFFORT_BUDGETS[reasoning.effort];
    if (reasoning.enabled === true || reasoning.exclude !== undefined) return EFFORT_BUDGETS.medium;
  }
  const effort = request.reasoning_effort;
  if (effort == null || effort === "none") return undefined;
  return EFFORT_BUDGETS[effort];
}
