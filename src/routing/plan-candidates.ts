import type { CatalogModel, CatalogRoute } from "../catalog/catalog-model.js";
import type { ProviderPreferences } from "../schemas/chat-request-schema.js";

export interface Candidate {
  model: CatalogModel;
  route: CatalogRoute;
}

export interface PlanOptions {
  /** A provider name from the `vendor` header ("auto" or absent: any). */
  vendor?: string;
  prefs?: ProviderPreferences;
  cooling: Set<string>;
  random: () => number;
  latencyOf: (routeKey: string) => number | undefined;
}

/** Weighted order without replacement: each pick is proportional to weight. */
function weightedOrder(routes: CatalogRoute[], random: () => number): CatalogRoute[] {
  const pool = [...routes];
  const out: CatalogRoute[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((s, r) => s + r.weight, 0);
    let x = random() * total;
    let i = 0;
    for (; i < pool.length - 1; i++) {
      x -= pool[i]!.weight;
      if (x < 0) break;
    }
    out.push(pool.splice(i, 1)[0]!);
  }
  return out;
}

function byLatency(routes: CatalogRoute[], latencyOf: PlanOptions["latencyOf"]): CatalogRoute[] {
  // Unmeasured routes go first so that every route gets measured.
  return [...routes].sort((a, b) => (latencyOf(a.key) ?? -1) - (latencyOf(b.key) ?? -1));
}

/** The routes of one model in the order to try them. */
function orderRoutes(model: CatalogModel, opts: PlanOptions): CatalogRoute[] {
  const prefs = opts.prefs ?? {};
  let routes = model.routes.filter(
    (r) =>
      (!opts.vendor || opts.vendor === "auto" || r.provider === opts.vendor) &&
      (!prefs.only || prefs.only.includes(r.provider)) &&
      !(prefs.ignore ?? []).includes(r.provider),
  );
  const tiers = [...new Set(routes.map((r) => r.priority))].sort((a, b) => a - b);
  const useLatency = prefs.sort === "latency" || model.routing === "latency";
  routes = tiers.flatMap((tier) => {
    const inTier = routes.filter((r) => r.priority === tier);
    return useLatency ? byLatency(inTier, opts.latencyOf) : weightedOrder(inTier, opts.random);
  });
  if (prefs.order) {
    const rank = (r: CatalogRoute) => {
      const i = prefs.order!.indexOf(r.provider);
      return i === -1 ? Number.MAX_SAFE_INTEGER : i;
    };
    routes = [...routes].sort((a, b) => rank(a) - rank(b));
  }
  // Cooling routes are kept, last: tried only when every healthy one failed.
  return [...routes.filter((r) => !opts.cooling.has(r.key)), ...routes.filter((r) => opts.cooling.has(r.key))];
}

function withinMaxPrice(model: CatalogModel, prefs: ProviderPreferences | undefined): boolean {
  const max = prefs?.max_price;
  if (!max) return true;
  const ok = (limit: number | string | undefined, price: string) => limit === undefined || Number(price) <= Number(limit);
  return ok(max.prompt, model.pricing.prompt) && ok(max.completion, model.pricing.completion);
}

/**
 * Every (model, route) to try, in order: the models of a fallback chain in
 * the caller's order (or by price when asked), each model's routes by
 * priority tier, then weight or measured latency, with pins applied.
 */
export function planCandidates(models: CatalogModel[], opts: PlanOptions): Candidate[] {
  let ordered = models.filter((m) => withinMaxPrice(m, opts.prefs));
  if (opts.prefs?.sort === "price") {
    ordered = [...ordered].sort((a, b) => Number(a.prices.prompt + a.prices.completion - (b.prices.prompt + b.prices.completion)));
  }
  const out = ordered.flatMap((model) => orderRoutes(model, opts).map((route) => ({ model, route })));
  return opts.prefs?.allow_fallbacks === false ? out.slice(0, 1) : out;
}
