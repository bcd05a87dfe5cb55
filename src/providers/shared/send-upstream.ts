import { upstreamRequest } from "./upstream-request.js";
import type { ProviderContext } from "../provider.js";
import type { UpstreamResponse } from "../../http/transport.js";
import { toUpstreamError, type ExtractedError } from "./to-upstream-error.js";

/**
 * POSTs a JSON body through the injected transport and turns a non-2xx
 * answer into a typed upstream error (body read and parsed defensively).
 */
export async function sendUpstream(
  ctx: ProviderContext,
  provider: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  extract: (json: unknown) => ExtractedError,
): Promise<UpstreamResponse> {
  const res = await ctx.transport(upstreamRequest(ctx, url, "POST", { "content-type": "application/json", ...headers }, body));
  if (res.status >= 200 && res.status < 300) return res;
  let text = "";
  try {
    text = await res.text();
  } catch {
    /* an unreadable error body is still an error */
  }
  throw toUpstreamError(provider, res.status, res.headers, text, extract, ctx.now());
}
