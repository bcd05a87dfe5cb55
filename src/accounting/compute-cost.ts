import type { CatalogModel } from "../catalog/catalog-model.js";
import type { Usage } from "../schemas/chat-response.js";

const SCALE = 1_000_000_000n; // price units (1e12 per USD per 1M tokens) -> nano-USD per token: / 1e6 * 1e9 / 1e12

/**
 * Integer nano-USD cost of a usage at a model's prices. Cached prompt
 * tokens are billed once, at the cache-read price; cache writes at the
 * cache-write price; the rest of the prompt at the prompt price (LiteLLM
 * #9812, #11789 billed them twice). Reasoning tokens are inside
 * completion_tokens and billed at the completion price. Rounded up once.
 */
export function computeCostNano(model: CatalogModel, usage: Usage): number {
  const p = model.prices;
  const cached = BigInt(usage.prompt_tokens_details?.cached_tokens ?? 0);
  const written = BigInt(usage.prompt_tokens_details?.cache_write_tokens ?? 0);
  const prompt = BigInt(usage.prompt_tokens);
  const plain = prompt - cached - written > 0n ? prompt - cached - written : 0n;
  const completion = BigInt(usage.completion_tokens);
  const total = plain * p.prompt + cached * p.cacheRead + written * p.cacheWrite + completion * p.completion;
  const nano = (total + SCALE - 1n) / SCALE;
  return Number(nano) + p.requestNano;
}

/** The most a request can cost: every prompt token uncached plus the whole output allowance. */
export function maxCostNano(model: CatalogModel, promptTokens: number, maxOutputTokens: number): number {
  return computeCostNano(model, { prompt_tokens: promptTokens, completion_tokens: maxOutputTokens, total_tokens: promptTokens + maxOutputTokens });
}
