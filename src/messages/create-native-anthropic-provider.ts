import { parseSse } from "../http/parse-sse.js";
import { convertAnthropicUsage } from "../providers/anthropic/convert-anthropic-usage.js";
import { extractAnthropicError } from "../providers/anthropic/extract-anthropic-error.js";
import type { Provider } from "../providers/provider.js";
import { pickRelayHeaders } from "../providers/shared/pick-relay-headers.js";
import { sendUpstream } from "../providers/shared/send-upstream.js";
import type { ChatCompletion } from "../schemas/chat-response.js";
import type { AnthropicNativeEndpoint } from "./anthropic-native-endpoint.js";
import { readNativeMessage } from "./read-native-message.js";
import { relayNativeEvents } from "./relay-native-events.js";

/** Field of a completion that carries the native Anthropic message unchanged. */
export const NATIVE_MESSAGE_FIELD = "anthropic_message";

/**
 * For one /messages request, an Anthropic route's provider that sends the
 * caller's original Messages body (model name swapped for the route's)
 * instead of a double translation, so thinking signatures, cache_control,
 * citations and server tools pass through. It still answers in the
 * Provider contract, carrying the native message or events beside the
 * chat fields, so routing, fallback, admission and usage stay the
 * pipeline's. Usage is read from Anthropic's own `usage`.
 */
export function createNativeAnthropicProvider(base: Provider, endpoint: AnthropicNativeEndpoint, body: Record<string, unknown>): Provider {
  const post = (model: string, stream: boolean, ctx: Parameters<Provider["chat"]>[1]) =>
    sendUpstream(ctx, endpoint.provider, endpoint.url, { ...endpoint.headers, accept: stream ? "text/event-stream" : "application/json" }, { ...body, model, stream }, extractAnthropicError);
  return {
    name: base.name,
    type: base.type,
    capabilities: new Set(["*"]),
    async chat(call, ctx) {
      const res = await post(call.route.model, false, ctx);
      const message = await readNativeMessage(endpoint.provider, res);
      const text = message.content.map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
      const completion: ChatCompletion = {
        id: message.id,
        object: "chat.completion",
        created: Math.floor(ctx.now() / 1000),
        model: call.route.model,
        choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: "stop", logprobs: null }],
        usage: convertAnthropicUsage(message.usage),
        [NATIVE_MESSAGE_FIELD]: message,
      };
      return { completion, headers: pickRelayHeaders(res.headers) };
    },
    async chatStream(call, ctx) {
      const res = await post(call.route.model, true, ctx);
      const envelope = { id: "", object: "chat.completion.chunk" as const, created: Math.floor(ctx.now() / 1000), model: call.route.model };
      return { chunks: relayNativeEvents(parseSse(res.body), endpoint.provider, envelope), headers: pickRelayHeaders(res.headers) };
    },
  };
}
