import { describe, expect, it } from "vitest";
import { computeCostNano, maxCostNano } from "../../src/accounting/compute-cost.js";
import { finalizeUsage } from "../../src/accounting/finalize-usage.js";
import { toCatalogModel } from "../../src/catalog/build-catalog.js";
import type { Usage } from "../../src/schemas/chat-response.js";

type Pricing = { prompt: string; completion: string; input_cache_read?: string; input_cache_write?: string; request?: string };
const model = (pricing: Pricing | undefined) => toCatalogModel({ id: "p/m", routes: [{ provider: "p", model: "m" }], ...(pricing ? { pricing } : {}) } as Parameters<typeof toCatalogModel>[0], 0);
const usage = (prompt: number, completion: number, details: { cached?: number; write?: number; reasoning?: number } = {}): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: details.cached ?? 0, cache_write_tokens: details.write ?? 0 },
  completion_tokens_details: { reasoning_tokens: details.reasoning ?? 0 },
});

const mini: Pricing = { prompt: "0.15", completion: "0.60", input_cache_read: "0.075", input_cache_write: "0.30" };

describe("computeCostNano", () => {
  it.each([
    ["plain prompt and completion", mini, usage(1000, 500), 150_000 + 300_000],
    ["cached tokens billed once, at the cache-read price", mini, usage(1000, 0, { cached: 400 }), 600 * 150 + 400 * 75],
    ["cache writes at the cache-write price", mini, usage(1000, 0, { cached: 400, write: 200 }), 400 * 150 + 400 * 75 + 200 * 300],
    ["reasoning is inside completion_tokens, billed once", mini, usage(7, 87, { reasoning: 64 }), 7 * 150 + 87 * 600],
    ["cache price defaults to the prompt price", { prompt: "1", completion: "2" }, usage(100, 0, { cached: 100 }), 100 * 1000],
    ["more cached than prompt (bad upstream) never goes negative", mini, usage(10, 0, { cached: 50 }), 50 * 75],
    ["a free model costs 0", { prompt: "0", completion: "0" }, usage(123_456, 7890, { cached: 1000, reasoning: 500 }), 0],
    ["no pricing at all costs 0", undefined, usage(10, 10), 0],
    ["rounded up once, not per token", { prompt: "0.0000001", completion: "0" }, usage(3, 0), 1],
    ["an exact amount is not rounded up", { prompt: "0.15", completion: "0" }, usage(1, 0), 150],
    ["a per-request price is added", { prompt: "0", completion: "0", request: "0.001" }, usage(1, 1), 1_000_000],
    ["large counts stay exact", { prompt: "75", completion: "150" }, usage(10_000_000, 1_000_000), 750_000_000_000 + 150_000_000_000],
  ])("%s", (_label, pricing, u, expected) => {
    expect(computeCostNano(model(pricing), u)).toBe(expected);
  });

  it("maxCostNano prices every prompt token uncached plus the whole output allowance", () => {
    expect(maxCostNano(model(mini), 1000, 100)).toBe(1000 * 150 + 100 * 600);
  });
});

describe("finalizeUsage", () => {
  it("adds cost in USD, fills the details and recomputes the total", () => {
    const { usage: u, costNano } = finalizeUsage(model(mini), { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 9999 });
    expect(costNano).toBe(450_000);
    expect(u).toEqual({
      prompt_tokens: 1000,
      completion_tokens: 500,
      total_tokens: 1500,
      cost: 0.00045,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it("a missing usage is zero, at cost 0", () => {
    expect(finalizeUsage(model(mini), null).usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: 0 });
  });

  it("a free model reports cost 0 whatever the tokens", () => {
    expect(finalizeUsage(model({ prompt: "0", completion: "0" }), usage(5000, 5000)).usage.cost).toBe(0);
  });
});
