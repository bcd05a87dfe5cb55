import { GatewayError } from "../../errors/gateway-error.js";
import type { UpstreamResponse } from "../../http/transport.js";
import type { AnthropicResponse } from "./anthropic-types.js";

/**
 * Reads and checks a 2xx Messages body at the boundary: anything that is not
 * a message with a content array is a clean 502, not a crash later on.
 */
export async function readAnthropicResponse(provider: string, res: UpstreamResponse): Promise<AnthropicResponse> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const message = json as Partial<AnthropicResponse> | undefined;
  if (message && typeof message === "object" && Array.isArray(message.content) && typeof message.id === "string") {
    return { ...message, model: typeof message.model === "string" ? message.model : "", usage: message.usage ?? {} } as AnthropicResponse;
  }
  throw new GatewayError({
    status: 502,
    code: "upstream_bad_response",
    message: `Upstream ${provider} sent an unreadable response`,
    isRetryable: true,
    upstream: { kind: "bad_response", provider },
  });
}
