import type { GatewayOptions } from "modelmux";

type Providers = GatewayOptions["providers"];
type Models = NonNullable<GatewayOptions["models"]>;

/**
 * The built-in mock provider always; real providers when their API key is
 * in the environment (OPENAI_API_KEY / OPENAI_BASE_URL, ANTHROPIC_API_KEY,
 * GEMINI_API_KEY), each with a few well-known models.
 */
export function providersFromEnv(env: NodeJS.ProcessEnv = process.env): { providers: Providers; models: Models } {
  const providers: Providers = { mock: { type: "mock" } };
  const models: Models = [];
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    providers.openai = { type: "openai", apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL };
    models.push(
      { id: "openai/gpt-4o-mini", name: "GPT-4o Mini", context_length: 128_000, max_output_tokens: 16_384, pricing: { prompt: "0.15", completion: "0.60", input_cache_read: "0.075" }, modalities: { input: ["text", "image", "file"], output: ["text"] }, routes: [{ provider: "openai", model: "gpt-4o-mini" }] },
      { id: "openai/gpt-4.1-nano", name: "GPT-4.1 Nano", context_length: 1_047_576, max_output_tokens: 32_768, pricing: { prompt: "0.10", completion: "0.40", input_cache_read: "0.025" }, modalities: { input: ["text", "image", "file"], output: ["text"] }, routes: [{ provider: "openai", model: "gpt-4.1-nano" }] },
      { id: "openai/text-embedding-3-small", name: "Text Embedding 3 Small", kind: "embedding", context_length: 8191, pricing: { prompt: "0.02", completion: "0" }, routes: [{ provider: "openai", model: "text-embedding-3-small" }] },
    );
  }
  if (env.ANTHROPIC_API_KEY) {
    providers.anthropic = { type: "anthropic", apiKey: env.ANTHROPIC_API_KEY };
    models.push({ id: "anthropic/claude-sonnet-4-5", name: "Claude Sonnet 4.5", context_length: 200_000, max_output_tokens: 64_000, pricing: { prompt: "3", completion: "15", input_cache_read: "0.30", input_cache_write: "3.75" }, modalities: { input: ["text", "image", "file"], output: ["text"] }, routes: [{ provider: "anthropic", model: "claude-sonnet-4-5" }] });
  }
  if (env.GEMINI_API_KEY) {
    providers.google = { type: "google", apiKey: env.GEMINI_API_KEY };
    models.push({ id: "google/gemini-2.5-flash", name: "Gemini 2.5 Flash", context_length: 1_048_576, max_output_tokens: 65_536, pricing: { prompt: "0.30", completion: "2.50", input_cache_read: "0.075" }, modalities: { input: ["text", "image", "audio", "file"], output: ["text"] }, routes: [{ provider: "google", model: "gemini-2.5-flash" }] });
  }
  return { providers, models };
}
