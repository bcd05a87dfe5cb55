import { GatewayError } from "../../errors/gateway-error.js";
import type { EmbeddingsResult } from "../provider.js";

export interface GeminiEmbedResponse {
  embeddings?: Array<{ values?: number[] }>;
  usageMetadata?: { promptTokenCount?: number };
}

/**
 * `batchEmbedContents` answer -> OpenAI embeddings list. `encoding_format:
 * "base64"` gives the little-endian float32 bytes in base64, as OpenAI does.
 * The Gemini API usually reports no token count for embeddings
 * (`usageMetadata` is optional), so prompt tokens are then estimated at
 * four characters per token: an estimate, not the upstream's count.
 */
export function convertGeminiEmbedResponse(body: GeminiEmbedResponse, inputs: string[], model: string, encoding: "float" | "base64" | undefined, provider: string): EmbeddingsResult["response"] {
  const embeddings = body.embeddings ?? [];
  if (embeddings.length !== inputs.length || embeddings.some((e) => !Array.isArray(e.values))) {
    throw new GatewayError({ status: 502, code: "upstream_bad_response", message: `Upstream ${provider} returned ${embeddings.length} embeddings for ${inputs.length} inputs`, isRetryable: true, upstream: { kind: "bad_response", provider } });
  }
  const data = embeddings.map((e, index) => ({
    object: "embedding" as const,
    index,
    embedding: encoding === "base64" ? Buffer.from(new Float32Array(e.values!).buffer).toString("base64") : e.values!,
  }));
  const tokens = body.usageMetadata?.promptTokenCount ?? inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  return { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
