import { upstreamRequest } from "../shared/upstream-request.js";
import type { UpstreamResponse } from "../../http/transport.js";
import type { ProviderContext } from "../provider.js";
import { toUpstreamError } from "../shared/to-upstream-error.js";
import type { AnthropicRequest } from "./anthropic-types.js";
import { extractAnthropicError } from "./extract-anthropic-error.js";

export interface AnthropicEndpoint {
  provider: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * POSTs a Messages request through the injected transport, with this
 * attempt's first-byte and idle limits and the caller's abort signal. A
 * non-2xx answer is read and thrown as a typed upstream error.
 */
export async function sendAnthropicRequest(endpoint: AnthropicEndpoint, body: AnthropicRequest, ctx: ProviderContext): Promise<UpstreamResponse> {
  const res = await ctx.transport(upstreamRequest(ctx, endpoint.url, "POST", { ...endpoint.headers, accept: body.stream ? "text/event-stream" : "application/json" }, body));
  if (res.status >= 200 && res.status < 300) return res;
  const text = await res.text();
  throw toUpstreamError(endpoint.provider, res.status, res.headers, text, extractAnthropicError, ctx.now());
}
