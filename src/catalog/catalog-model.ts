/** A model as the gateway serves it: options normalised once at createGateway. */
export interface CatalogRoute {
  /** `provider:model`, the key for health, cooldown and latency state. */
  key: string;
  provider: string;
  model: string;
  weight: number;
  priority: number;
}

/** Prices as integers: USD per 1M tokens scaled by 1e12 (see parse-usd.ts). */
export interface ModelPrices {
  prompt: bigint;
  completion: bigint;
  cacheRead: bigint;
  cacheWrite: bigint;
  /** Per request, nano-USD. */
  requestNano: number;
  image: bigint;
}

export interface CatalogModel {
  id: string;
  name: string;
  description: string;
  created: number;
  context_length: number;
  max_output_tokens: number;
  pricing: {
    prompt: string;
    completion: string;
    input_cache_read?: string;
    input_cache_write?: string;
    request?: string;
    image?: string;
  };
  prices: ModelPrices;
  input_modalities: string[];
  output_modalities: string[];
  routes: CatalogRoute[];
  noSystemRole: boolean;
  maxCompletionTokens: boolean;
  tokenizer: string;
  supported_parameters: string[];
  is_free: boolean;
  expiration_date: string | null;
  kind: "chat" | "embedding";
  routing: "weighted" | "latency";
  /** Hedge after this many ms, or after the route's measured p95 time to first token. */
  hedgeAfterMs?: number | "p95";
}
