import type { CatalogModel } from "./catalog-model.js";

/**
 * A catalogue entry on the wire: the OpenAI `Model` fields (id, object,
 * created, owned_by) plus OpenRouter-style metadata, additive only.
 */
export function toModelObject(m: CatalogModel, supportedParameters: string[]): Record<string, unknown> {
  return {
    id: m.id,
    object: "model",
    created: m.created,
    owned_by: m.id.slice(0, m.id.indexOf("/")),
    name: m.name,
    description: m.description,
    canonical_slug: m.id,
    context_length: m.context_length,
    pricing: { ...m.pricing },
    architecture: {
      modality: `${m.input_modalities.join("+")}->${m.output_modalities.join("+")}`,
      input_modalities: m.input_modalities,
      output_modalities: m.output_modalities,
      tokenizer: m.tokenizer,
    },
    modalities: { input: m.input_modalities, output: m.output_modalities },
    top_provider: { context_length: m.context_length, max_completion_tokens: m.max_output_tokens, is_moderated: false },
    per_request_limits: null,
    supported_parameters: m.supported_parameters.length > 0 ? m.supported_parameters : supportedParameters,
    is_free: m.is_free,
    expiration_date: m.expiration_date,
  };
}
