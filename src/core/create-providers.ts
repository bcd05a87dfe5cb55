import type { ProviderOptions } from "../options/gateway-options-schema.js";
import { createAnthropicProvider } from "../providers/anthropic/create-anthropic-provider.js";
import { createGoogleProvider } from "../providers/google/create-google-provider.js";
import { createMockProvider } from "../providers/mock/create-mock-provider.js";
import { createOpenAIProvider } from "../providers/openai-compatible/create-openai-provider.js";
import type { Provider } from "../providers/provider.js";

/** One Provider per configured name. */
export function createProviders(options: Record<string, ProviderOptions>): Map<string, Provider> {
  const out = new Map<string, Provider>();
  for (const [name, p] of Object.entries(options)) {
    switch (p.type) {
      case "openai":
        out.set(name, createOpenAIProvider(name, p));
        break;
      case "anthropic":
        out.set(name, createAnthropicProvider(name, p));
        break;
      case "google":
        out.set(name, createGoogleProvider(name, p));
        break;
      case "mock":
        out.set(name, createMockProvider(name, p));
        break;
    }
  }
  return out;
}
