import { randomUUID } from "node:crypto";
import type { CatalogModel } from "../../src/catalog/catalog-model.js";
import type { GatewayRequest } from "../../src/core/gateway-types.js";
import type { UsageRecord } from "../../src/stores/store.js";
import { makeUsage } from "../stores/store-contract.js";

export function makeModel(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id: "openai/gpt-4o-mini",
    name: "GPT-4o Mini",
    description: "",
    created: 0,
    context_length: 128_000,
    max_output_tokens: 16_384,
    pricing: { prompt: "0.15", completion: "0.60" },
    prices: { prompt: 150_000_000_000n, completion: 600_000_000_000n, cacheRead: 0n, cacheWrite: 0n, requestNano: 0, image: 0n },
    input_modalities: ["text"],
    output_modalities: ["text"],
    routes: [],
    noSystemRole: false,
    maxCompletionTokens: false,
    tokenizer: "o200k",
    supported_parameters: [],
    is_free: false,
    expiration_date: null,
    kind: "chat",
    routing: "weighted",
    ...overrides,
  };
}

export function bearer(token: string | undefined, extra: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "POST",
    path: "/chat/completions",
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    clientAddress: "10.0.0.1",
    ...extra,
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2025, 0, 15, 12, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    set: (ms: number) => void (now = ms),
    advance: (ms: number) => void (now += ms),
  };
}

export function usageFor(keyId: string | null, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return makeUsage({ id: `gen_${randomUUID()}`, keyId, ...overrides });
}
