import { upstreamRequest } from "../shared/upstream-request.js";
import type { UpstreamResponse } from "../../http/transport.js";
import type { ProviderContext } from "../provider.js";
import { toGeminiError } from "./to-gemini-error.js";

export interface GeminiEndpoint {
  provider: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

/**
 * POSTs a JSON body with the `x-goog-api-key` header
 * (https://ai.google.dev/gemini-api/docs/api-key), the attempt's abort
 * signal and first-byte/idle limits. A non-2xx answer is read and thrown as
 * a typed GatewayError.
 */
export async function postGemini(endpoint: GeminiEndpoint, url: string, body: unknown, ctx: ProviderContext): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { "content-type": "application/json", ...endpoint.headers };
  if (endpoint.apiKey !== undefined) headers["x-goog-api-key"] = endpoint.apiKey;
  const response = await ctx.transport(upstreamRequest(ctx, url, "POST", headers, body));
  if (response.status >= 200 && response.status < 300) return response;
  const text = await response.text().catch(() => "");
  throw toGeminiError(endpoint.provider, response.status, response.headers, text, ctx.now());
}
