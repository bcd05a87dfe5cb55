import { randomUUID } from "node:crypto";
import type { CatalogModel } from "../../src/catalog/catalog-model.js";
import { toCatalogModel } from "../../src/catalog/build-catalog.js";
import type { GatewayRequest } from "../../src/core/gateway-types.js";
import type { UsageRecord } from "../../src/stores/store.js";
import { makeUsage } from "../stores/store-contract.js";

/** A catalogue entry built the way createGateway builds one. */
export function makeModel(overrides: Partial<CatalogModel> = {}): CatalogModel {
  const base = toCatalogModel(
    { id: "openai/gpt-4o-mini", name: "GPT-4o Mini", created: 0, context_length: 128_000, max_output_tokens: 16_384, pricing: { prompt: "0.15", completion: "0.60" }, routes: [{ provider: "openai", model: "gpt-4o-mini" }] },
    0,
  );
  return { ...base, routes: [], ...overrides };
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
