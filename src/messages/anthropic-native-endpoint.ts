/** Where and how to reach an Anthropic provider's own Messages API. */
export interface AnthropicNativeEndpoint {
  provider: string;
  url: string;
  headers: Record<string, string>;
}

const DEFAULT_BASE_URL = "https://api.anthropic.com";
/** https://docs.anthropic.com/en/api/versioning */
const DEFAULT_VERSION = "2023-06-01";

/**
 * The Messages URL and headers for a configured Anthropic provider. The
 * caller's `anthropic-beta` header is forwarded so beta features still
 * reach the model; the key is always the provider's own.
 */
export function buildAnthropicNativeEndpoint(
  provider: string,
  options: { apiKey?: string; baseURL?: string; version?: string; headers?: Record<string, string> },
  beta: string | undefined,
): AnthropicNativeEndpoint {
  const base = (options.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const headers: Record<string, string> = { "anthropic-version": options.version ?? DEFAULT_VERSION, ...options.headers };
  if (beta) headers["anthropic-beta"] = beta;
  if (options.apiKey !== undefined) headers["x-api-key"] = options.apiKey;
  return { provider, url: `${base.endsWith("/v1") ? base : `${base}/v1`}/messages`, headers };
}
