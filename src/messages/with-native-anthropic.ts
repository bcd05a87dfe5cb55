import type { GatewayRuntime } from "../core/gateway-runtime.js";
import type { ProviderOptions } from "../options/gateway-options-schema.js";
import { buildAnthropicNativeEndpoint } from "./anthropic-native-endpoint.js";
import { createNativeAnthropicProvider } from "./create-native-anthropic-provider.js";

/**
 * The runtime for one /messages request: every Anthropic provider is
 * replaced by its native fast path fed the caller's original body, the
 * others stay as they are. Fallback across both kinds keeps working
 * because each attempt picks its provider from this map.
 */
export function withNativeAnthropic(rt: GatewayRuntime, options: Record<string, ProviderOptions>, body: Record<string, unknown>, beta: string | undefined): GatewayRuntime {
  const providers = new Map(rt.providers);
  for (const [name, provider] of rt.providers) {
    const o = options[name];
    if (provider.type !== "anthropic" || o?.type !== "anthropic") continue;
    providers.set(name, createNativeAnthropicProvider(provider, buildAnthropicNativeEndpoint(name, o, beta), body));
  }
  return { ...rt, providers };
}
