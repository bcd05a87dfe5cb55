import type { CatalogModel } from "../catalog/catalog-model.js";
import type { ChatMessage } from "../schemas/chat-request-schema.js";
import { collectPromptText, IMAGE_TOKEN_ALLOWANCE, MESSAGE_OVERHEAD_TOKENS } from "./collect-prompt-text.js";

type Counter = (text: string) => number;
const counters = new Map<string, Promise<Counter>>();

/** Loads a BPE tokenizer once, on first need (o200k is several MB: not on the start-up path). */
function loadCounter(encoding: "o200k_base" | "cl100k_base"): Promise<Counter> {
  let p = counters.get(encoding);
  if (!p) {
    p = (encoding === "o200k_base" ? import("gpt-tokenizer/encoding/o200k_base") : import("gpt-tokenizer/encoding/cl100k_base")).then(
      (m) => (text: string) => m.countTokens(text),
    );
    counters.set(encoding, p);
  }
  return p;
}

export interface PromptTokenCount {
  tokens: number;
  /** "exact" from the model's tokenizer, "upper_bound" from UTF-8 bytes, "estimate" from characters / 4. */
  method: "exact" | "upper_bound" | "estimate";
}

/**
 * Counts a prompt's tokens. A BPE token covers at least one byte, so the
 * UTF-8 byte count is a safe upper bound and is used when it already fits
 * (the common case, and O(n) with no tokenizer). Past that, OpenAI-family
 * models are tokenized exactly; for others we state an estimate of
 * characters / 4 (Anthropic and Google publish no local tokenizer).
 */
export async function countPromptTokens(model: CatalogModel, messages: ChatMessage[], tools: unknown[] | undefined, budget: number): Promise<PromptTokenCount> {
  const { parts, chars, media } = collectPromptText(messages, tools);
  const fixed = media * IMAGE_TOKEN_ALLOWANCE + messages.length * MESSAGE_OVERHEAD_TOKENS;
  let bytes = 0;
  for (const part of parts) bytes += Buffer.byteLength(part, "utf8");
  if (bytes + fixed <= budget) return { tokens: bytes + fixed, method: "upper_bound" };
  if (model.tokenizer === "o200k_base" || model.tokenizer === "cl100k_base") {
    const count = await loadCounter(model.tokenizer);
    return { tokens: count(parts.join("")) + fixed, method: "exact" };
  }
  return { tokens: Math.ceil(chars / 4) + fixed, method: "estimate" };
}
