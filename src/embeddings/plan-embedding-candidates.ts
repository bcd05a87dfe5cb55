import type { CatalogModel } from "../catalog/catalog-model.js";
import type { GatewayRuntime } from "../core/gateway-runtime.js";
import { headerValue } from "../core/header-value.js";
import type { GatewayRequest } from "../core/gateway-types.js";
import { GatewayError } from "../errors/gateway-error.js";
import { planCandidates, type Candidate } from "../routing/plan-candidates.js";

/**
 * Route candidates for embedding models, ordered as chat routes are
 * (priority, weight or latency, cooldowns, the vendor pin), keeping only
 * routes whose provider implements embeddings.
 */
export async function planEmbeddingCandidates(rt: GatewayRuntime, req: GatewayRequest, models: CatalogModel[]): Promise<Candidate[]> {
  const vendor = headerValue(req.headers, "vendor") ?? headerValue(req.headers, "x-modelmux-vendor");
  const keys = models.flatMap((m) => m.routes.map((r) => r.key));
  const cooling = new Set(await rt.health.coolingKeys(keys));
  const candidates = planCandidates(models, { vendor, cooling, random: rt.random, latencyOf: (k) => rt.health.latencyOf(k) }).filter(
    (c) => typeof rt.providers.get(c.route.provider)?.embeddings === "function",
  );
  if (candidates.length === 0) {
    throw new GatewayError({ status: 404, code: "no_route", message: `No route for ${models.map((m) => m.id).join(", ")} can serve embeddings`, param: vendor ? "vendor" : "model" });
  }
  return candidates;
}
