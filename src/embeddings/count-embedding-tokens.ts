import type { EmbeddingsRequest } from "./embeddings-request-schema.js";

/**
 * An upper bound of the input's tokens, for admission only: a BPE token
 * covers at least one UTF-8 byte, and token arrays are counted exactly.
 * The bill uses the upstream's own count.
 */
export function countEmbeddingTokens(input: EmbeddingsRequest["input"]): number {
  const items: Array<string | number[] | number> = typeof input === "string" ? [input] : input;
  if (items.every((i) => typeof i === "number")) return items.length;
  return items.reduce<number>((sum, item) => sum + (typeof item === "string" ? Buffer.byteLength(item, "utf8") : Array.isArray(item) ? item.length : 1), 0);
}
