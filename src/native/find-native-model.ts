import type { Catalog } from "../catalog/build-catalog.js";
import type { CatalogModel } from "../catalog/catalog-model.js";
import { notFound } from "../errors/errors.js";

const bare = (name: string) => name.replace(/^models\//, "");

/**
 * The catalogue model served by this provider under this upstream name
 * (Gemini names may carry a `models/` prefix). A model the host has not
 * configured is a 404: the passthrough never serves unpriced models.
 */
export function findNativeModel(catalog: Catalog, provider: string, upstreamModel: string): CatalogModel {
  const name = bare(upstreamModel);
  const found = catalog.models.find((m) => m.routes.some((r) => r.provider === provider && bare(r.model) === name));
  if (!found) throw notFound(`The model '${upstreamModel}' is not configured for provider '${provider}'`, "model_not_found", "model");
  return found;
}
