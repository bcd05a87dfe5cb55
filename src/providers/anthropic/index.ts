export { createAnthropicProvider, type AnthropicProviderOptions } from "./create-anthropic-provider.js";
export { anthropicCapabilities } from "./anthropic-capabilities.js";
