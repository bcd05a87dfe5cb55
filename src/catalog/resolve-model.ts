import { notFound } from "../errors/errors.js";
import type { Catalog } from "./build-catalog.js";
import type { CatalogModel } from "./catalog-model.js";

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Up to three ids close to `id`, for the 404 message (only computed on the error path). */
export function suggestModels(catalog: Catalog, id: string): string[] {
  const needle = id.toLowerCase();
  return catalog.models
    .map((m) => {
      const hay = m.id.toLowerCase();
      const bare = hay.slice(hay.indexOf("/") + 1);
      const score = hay.includes(needle) || needle.includes(bare) ? 0 : Math.min(editDistance(needle, hay), editDistance(needle, bare));
      return { id: m.id, score };
    })
    .filter((s) => s.score <= Math.max(3, Math.floor(needle.length / 3)))
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map((s) => s.id);
}

/**
 * Canonical ids resolve directly; a bare name resolves when exactly one
 * model carries it. Anything else is a 404 that lists close matches.
 */
export function resolveModel(catalog: Catalog, id: string, param = "model"): CatalogModel {
  const exact = catalog.byId.get(id);
  if (exact) return exact;
  const bare = catalog.byBareName.get(id);
  if (bare?.length === 1) return bare[0]!;
  if (bare && bare.length > 1) {
    throw notFound(`The model '${id}' is ambiguous; use one of: ${bare.map((m) => m.id).join(", ")}`, "model_not_found", param);
  }
  const close = suggestModels(catalog, id);
  const hint = close.length > 0 ? ` Did you mean: ${close.join(", ")}?` : "";
  throw notFound(`The model '${id}' does not exist.${hint}`, "model_not_found", param);
}
