import type { CatalogModel } from "../catalog/catalog-model.js";
import type { Usage } from "../schemas/chat-response.js";
import { computeCostNano } from "./compute-cost.js";
import { nanoToUsd } from "./parse-usd.js";

/** Usage as the caller sees it: details always present, total recomputed, cost in USD. */
export function finalizeUsage(model: CatalogModel, usage: Usage | null | undefined): { usage: Usage; costNano: number } {
  const u = usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const out: Usage = {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    cost: 0,
    prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0, ...u.prompt_tokens_details },
    completion_tokens_details: { reasoning_tokens: 0, ...u.completion_tokens_details },
  };
  const costNano = computeCostNano(model, out);
  out.cost = nanoToUsd(costNano);
  return { usage: out, costNano };
}
