import { GatewayError } from "../errors/gateway-error.js";
import type { SseEvent } from "../http/parse-sse.js";
import { convertAnthropicUsage } from "../providers/anthropic/convert-anthropic-usage.js";
import type { AnthropicUsage } from "../providers/anthropic/anthropic-types.js";
import type { ChatCompletionChunk, ChunkDelta } from "../schemas/chat-response.js";
import { NATIVE_EVENT_FIELD } from "./read-native-event.js";

type Event = { type: string; [k: string]: unknown };

/**
 * Wraps each native Anthropic event in a chat chunk envelope so the normal
 * stream pipeline (first-chunk fallback, keep-alive, disconnects, usage
 * accounting) carries it unchanged. The envelope's delta holds the text for
 * the pipeline's usage estimate; its `usage` is Anthropic's, merged across
 * message_start and message_delta (both cumulative, never summed:
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types).
 * An `error` event or a stream without message_stop is thrown, so it ends
 * the caller's stream with an error event.
 */
export async function* relayNativeEvents(events: AsyncIterable<SseEvent>, provider: string, base: Pick<ChatCompletionChunk, "id" | "object" | "created" | "model">): AsyncGenerator<ChatCompletionChunk> {
  let usage: AnthropicUsage = {};
  for await (const sse of events) {
    let event: Event;
    try {
      event = JSON.parse(sse.data) as Event;
    } catch (cause) {
      throw new GatewayError({ status: 502, code: "upstream_bad_response", message: `Upstream ${provider} sent an invalid stream event`, cause, isRetryable: true, upstream: { kind: "bad_response", provider } });
    }
    if (event.type === "error") throw streamError(provider, event);
    const delta: ChunkDelta = {};
    if (event.type === "message_start") usage = { ...usage, ...(event.message as { usage?: AnthropicUsage })?.usage };
    if (event.type === "message_delta") usage = { ...usage, ...withoutNulls(event.usage as AnthropicUsage | undefined) };
    if (event.type === "content_block_delta") {
      const d = event.delta as { text?: string; thinking?: string; partial_json?: string };
      delta.content = d.text ?? d.partial_json ?? null;
      if (d.thinking) delta.reasoning = d.thinking;
    }
    const chunk: ChatCompletionChunk = { ...base, choices: [{ index: 0, delta, finish_reason: null }], [NATIVE_EVENT_FIELD]: event };
    if (event.type === "message_start" || event.type === "message_delta") chunk.usage = convertAnthropicUsage(usage);
    yield chunk;
    if (event.type === "message_stop") return;
  }
  throw new GatewayError({ status: 502, code: "upstream_stream_cut", message: `The stream from ${provider} ended before message_stop`, isRetryable: true, upstream: { kind: "bad_response", provider } });
}

function withoutNulls(usage: AnthropicUsage | undefined): AnthropicUsage {
  const out: AnthropicUsage = {};
  for (const [k, v] of Object.entries(usage ?? {})) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function streamError(provider: string, event: Event): GatewayError {
  const error = (event.error ?? {}) as { type?: string; message?: string };
  const overloaded = error.type === "overloaded_error";
  return new GatewayError({
    status: overloaded ? 503 : 502,
    code: error.type ?? "upstream_error",
    message: error.message ?? `Upstream ${provider} reported an error mid-stream`,
    isRetryable: true,
    upstream: { kind: overloaded ? "overloaded" : "server", provider },
  });
}
