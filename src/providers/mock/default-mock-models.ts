import type { ModelOptions } from "../../options/gateway-options-schema.js";

/** The built-in catalogue served by a `mock` provider: no network, deterministic. */
export function defaultMockModels(provider: string): ModelOptions[] {
  const route = [{ provider, model: "echo" }];
  return [
    {
      id: "mock/echo",
      name: "Mock Echo (free)",
      description: "Echoes the last user message; calls a tool when tools are given; follows response_format. Free.",
      context_length: 32_768,
      max_output_tokens: 4096,
      pricing: { prompt: "0", completion: "0" },
      modalities: { input: ["text", "image", "audio", "file"], output: ["text"] },
      routes: route,
      tokenizer: "o200k_base",
    },
    {
      id: "mock/echo-priced",
      name: "Mock Echo (priced)",
      description: "Mock Echo with prices, for trying balances and cost accounting.",
      context_length: 32_768,
      max_output_tokens: 4096,
      pricing: { prompt: "1", completion: "2", input_cache_read: "0.1" },
      modalities: { input: ["text", "image", "audio", "file"], output: ["text"] },
      routes: route,
      tokenizer: "o200k_base",
    },
    {
      id: "mock/embed",
      name: "Mock Embeddings",
      description: "Deterministic 8-dimensional embeddings derived from the input text.",
      context_length: 8192,
      pricing: { prompt: "0", completion: "0" },
      kind: "embedding",
      modalities: { input: ["text"], output: ["embeddings"] },
      routes: [{ provider, model: "embed" }],
    },
  ];
}
