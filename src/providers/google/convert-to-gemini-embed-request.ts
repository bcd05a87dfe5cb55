import { invalidRequest } from "../../errors/errors.js";
import type { EmbeddingsCall } from "../provider.js";

export interface GeminiEmbedRequest {
  requests: Array<{ model: string; content: { parts: Array<{ text: string }> }; outputDimensionality?: number }>;
}

/**
 * An OpenAI embeddings request -> `batchEmbedContents`
 * (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents):
 * one EmbedContentRequest per input string; `dimensions` ->
 * `outputDimensionality`. Token-id inputs have no Gemini form: a 400.
 */
export function convertToGeminiEmbedRequest(request: EmbeddingsCall["request"], model: string): { body: GeminiEmbedRequest; inputs: string[] } {
  const inputs = typeof request.input === "string" ? [request.input] : request.input;
  if (!inputs.every((i): i is string => typeof i === "string")) {
    throw invalidRequest("input as token ids is not supported by Gemini embedding models; send strings", "input");
  }
  const resource = model.includes("/") ? model : `models/${model}`;
  const body: GeminiEmbedRequest = {
    requests: inputs.map((text) => ({
      model: resource,
      content: { parts: [{ text }] },
      ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
    })),
  };
  return { body, inputs };
}
