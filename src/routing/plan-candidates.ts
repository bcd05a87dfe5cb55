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
  cooling: ReadonlySet<string>;
  random: () => number;
  latencyOf: (routeKey: string) => number | undefined;
}

/** Weighted order without replacement: each pick is proportional to weight among the routes left. */
function weightedOrder(routes: CatalogRoute[], random: () => number): CatalogRoute[] {
  if (routes.length < 2) return routes;
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
  // Unmeasured routes go first so that every route gets measured once.
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
  if (prefs.sort === "latency") {
    // The caller asked for the fastest: measured latency across every tier.
    routes = byLatency(routes, opts.latencyOf);
  } else {
    const tiers = [...new Set(routes.map((r) => r.priority))].sort((a, b) => a - b);
    // Loops, not flatMap: flatMap's flattening calls into the engine's runtime (bench:instructions).
    const all = routes;
    routes = [];
    for (const tier of tiers) {
      const inTier = all.filter((r) => r.priority === tier);
      for (const r of model.routing === "latency" ? byLatency(inTier, opts.latencyOf) : weightedOrder(inTier, opts.random)) routes.push(r);
    }
  }
  const order = prefs.order;
  if (order) {
    const rank = (r: CatalogRoute) => {
      const i = order.indexOf(r.provider);
      return i === -1 ? order.length : i;
    };
    routes = [...routes].sort((a, b) => rank(a) - rank(b));
  }
  // Cooling routes are kept, last: tried only when every healthy one failed.
  if (opts.cooling.size > 0) routes = [...routes.filter((r) => !opts.cooling.has(r.key)), ...routes.filter((r) => opts.cooling.has(r.key))];
  if (prefs.allow_fallbacks === false) {
    // OpenRouter's rule: only the primary provider, or the ones listed in `order`.
    const listed = order ? routes.filter((r) => order.includes(r.provider)) : [];
    return listed.length > 0 ? listed : routes.slice(0, 1);
  }
  return routes;
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
 * priority tier, then weight or measured latency, with the vendor pin and
 * provider preferences applied and cooling routes last. `allow_fallbacks:
 * false` limits each model to its primary provider (or those in `order`);
 * the models of a `models` chain are still tried in turn.
 */
export function planCandidates(models: CatalogModel[], opts: PlanOptions): Candidate[] {
  let ordered = models.filter((m) => withinMaxPrice(m, opts.prefs));
  if (opts.prefs?.sort === "price") {
    const price = (m: CatalogModel) => m.prices.prompt + m.prices.completion;
    ordered = [...ordered].sort((a, b) => (price(a) < price(b) ? -1 : price(a) > price(b) ? 1 : 0));
  }
  const candidates: Candidate[] = [];
  for (const model of ordered) for (const route of orderRoutes(model, opts)) candidates.push({ model, route });
  return candidates;
}
