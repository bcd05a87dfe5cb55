import type { CatalogModel } from "../catalog/catalog-model.js";
import { resolveModel } from "../catalog/resolve-model.js";
import { toModelObject } from "../catalog/to-model-object.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { JsonResponse } from "./gateway-types.js";

/** The parameters every route of a model honours (the intersection of its providers' capabilities). */
function supportedParameters(rt: GatewayRuntime, m: CatalogModel): string[] {
  const sets = m.routes.map((r) => rt.providers.get(r.provider)?.capabilities).filter((s): s is ReadonlySet<string> => s !== undefined);
  if (sets.length === 0) return [];
  return [...sets[0]!].filter((p) => p !== "*" && p !== "messages" && p !== "model" && sets.every((s) => s.has(p) || s.has("*")));
}

/** GET /models, built once: the catalogue does not change after createGateway. */
export function createModelsHandler(rt: GatewayRuntime) {
  const objects = new Map(rt.catalog.models.map((m) => [m.id, toModelObject(m, supportedParameters(rt, m))]));
  const list = { object: "list", data: [...objects.values()] };
  return {
    list(requestId: string): JsonResponse {
      return { kind: "json", status: 200, headers: { "x-request-id": requestId }, body: list };
    },
    get(rawId: string, requestId: string): JsonResponse {
      const model = resolveModel(rt.catalog, rawId);
      return { kind: "json", status: 200, headers: { "x-request-id": requestId }, body: objects.get(model.id) };
    },
  };
}
