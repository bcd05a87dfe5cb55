import { parseSse } from "../../http/parse-sse.js";
import type { ChatCall, ChatResult, ChatStreamResult, Provider, ProviderContext } from "../provider.js";
import { pickRelayHeaders } from "../shared/pick-relay-headers.js";
import { anthropicCapabilities } from "./anthropic-capabilities.js";
import { convertAnthropicResponse } from "./convert-anthropic-response.js";
import { convertToAnthropicRequest } from "./convert-to-anthropic-request.js";
import { readAnthropicResponse } from "./read-anthropic-response.js";
import { sendAnthropicRequest, type AnthropicEndpoint } from "./send-anthropic-request.js";
import { transformAnthropicStream } from "./transform-anthropic-stream.js";

export interface AnthropicProviderOptions {
  apiKey?: string;
  /** Default https://api.anthropic.com; a trailing /v1 is accepted too. */
  baseURL?: string;
  /** The `anthropic-version` header (https://docs.anthropic.com/en/api/versioning). */
  version?: string;
  /** Extra headers for every call, e.g. `anthropic-beta`. */
  headers?: Record<string, string>;
}

const DEFAULT_BASE_URL = "https://api.anthropic.com";
const DEFAULT_VERSION = "2023-06-01";

/** A provider speaking the Anthropic Messages API (POST /v1/messages). */
export function createAnthropicProvider(name: string, options: AnthropicProviderOptions): Provider {
  const endpoint = toEndpoint(name, options);

  function convert(call: ChatCall, ctx: ProviderContext, stream: boolean) {
    const request = { ...call.request, stream };
    return convertToAnthropicRequest(request, call.model, call.request.model ?? call.route.model, ctx.warn);
  }

  return {
    name,
    type: "anthropic",
    capabilities: anthropicCapabilities,
    async chat(call, ctx): Promise<ChatResult> {
      const { body, plan } = convert(call, ctx, false);
      const res = await sendAnthropicRequest(endpoint, body, ctx);
      const message = await readAnthropicResponse(name, res);
      return { completion: convertAnthropicResponse(message, plan, Math.floor(ctx.now() / 1000)), headers: pickRelayHeaders(res.headers) };
    },
    async chatStream(call, ctx): Promise<ChatStreamResult> {
      const { body, plan } = convert(call, ctx, true);
      const res = await sendAnthropicRequest(endpoint, body, ctx);
      const chunks = transformAnthropicStream(parseSse(res.body), { provider: name, plan, now: () => ctx.now() });
      return { chunks, headers: pickRelayHeaders(res.headers) };
    },
  };
}

function toEndpoint(name: string, options: AnthropicProviderOptions): AnthropicEndpoint {
  const base = (options.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const headers: Record<string, string> = {
    "anthropic-version": options.version ?? DEFAULT_VERSION,
    "content-type": "application/json",
    ...options.headers,
  };
  if (options.apiKey !== undefined) headers["x-api-key"] = options.apiKey;
  return { provider: name, url: `${base.endsWith("/v1") ? base : `${base}/v1`}/messages`, headers };
}
