import { parseDecimal } from "../accounting/parse-usd.js";
import type { ModelOptions, ProviderOptions } from "../options/gateway-options-schema.js";
import type { CatalogModel } from "./catalog-model.js";
import { defaultMockModels } from "../providers/mock/default-mock-models.js";

const PRICE_SCALE = 12;

export interface Catalog {
  models: CatalogModel[];
  byId: Map<string, CatalogModel>;
  /** Bare model name (after the slash) to the models that carry it. */
  byBareName: Map<string, CatalogModel[]>;
}

/** o-series and gpt-5 reject max_tokens (gollm #33; OpenAI reasoning-model docs). */
function guessMaxCompletionTokens(id: string): boolean {
  const name = id.slice(id.indexOf("/") + 1);
  return /^(o\d|gpt-5|gpt-4\.1)/.test(name);
}

function guessTokenizer(id: string): string {
  const name = id.slice(id.indexOf("/") + 1);
  if (/^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt)/.test(name)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5)/.test(name)) return "cl100k_base";
  if (name.startsWith("claude")) return "claude";
  if (name.startsWith("gemini")) return "gemini";
  return "other";
}

export function toCatalogModel(opts: ModelOptions, now: number): CatalogModel {
  const pricing = opts.pricing ?? { prompt: "0", completion: "0" };
  const prompt = parseDecimal(pricing.prompt, PRICE_SCALE);
  const completion = parseDecimal(pricing.completion, PRICE_SCALE);
  const isFree = opts.is_free ?? (prompt === 0n && completion === 0n && !pricing.request);
  return {
    id: opts.id,
    name: opts.name ?? opts.id,
    description: opts.description ?? "",
    created: opts.created ?? Math.floor(now / 1000),
    context_length: opts.context_length ?? 128_000,
    max_output_tokens: opts.max_output_tokens ?? 4096,
    pricing,
    prices: {
      prompt,
      completion,
      cacheRead: pricing.input_cache_read !== undefined ? parseDecimal(pricing.input_cache_read, PRICE_SCALE) : prompt,
      cacheWrite: pricing.input_cache_write !== undefined ? parseDecimal(pricing.input_cache_write, PRICE_SCALE) : prompt,
      requestNano: pricing.request !== undefined ? Number(parseDecimal(pricing.request, 9)) : 0,
      image: pricing.image !== undefined ? parseDecimal(pricing.image, PRICE_SCALE) : 0n,
    },
    input_modalities: opts.modalities?.input ?? ["text"],
    output_modalities: opts.modalities?.output ?? [opts.kind === "embedding" ? "embeddings" : "text"],
    routes: opts.routes.map((r) => ({
      key: `${r.provider}:${r.model}`,
      provider: r.provider,
      model: r.model,
      weight: r.weight ?? 1,
      priority: r.priority ?? 0,
    })),
    noSystemRole: opts.noSystemRole ?? false,
    maxCompletionTokens: opts.maxCompletionTokens ?? guessMaxCompletionTokens(opts.id),
    tokenizer: opts.tokenizer ?? guessTokenizer(opts.id),
    supported_parameters: opts.supported_parameters ?? [],
    is_free: isFree,
    expiration_date: opts.expiration_date ?? null,
    kind: opts.kind ?? "chat",
    routing: opts.routing ?? "weighted",
    hedgeAfterMs: opts.hedgeAfterMs,
  };
}

/** Builds the catalogue once; lookups afterwards are O(1) map reads. */
export function buildCatalog(
  models: ModelOptions[] | undefined,
  providers: Record<string, ProviderOptions>,
  includeDefaults: boolean,
  now: number,
): Catalog {
  const all: ModelOptions[] = [...(models ?? [])];
  const mockProvider = Object.entries(providers).find(([, p]) => p.type === "mock")?.[0];
  if (includeDefaults && mockProvider) {
    for (const m of defaultMockModels(mockProvider)) if (!all.some((x) => x.id === m.id)) all.push(m);
  }
  const list = all.map((m) => toCatalogModel(m, now));
  const byId = new Map(list.map((m) => [m.id, m]));
  const byBareName = new Map<string, CatalogModel[]>();
  for (const m of list) {
    const bare = m.id.slice(m.id.indexOf("/") + 1);
    byBareName.set(bare, [...(byBareName.get(bare) ?? []), m]);
  }
  return { models: list, byId, byBareName };
}
