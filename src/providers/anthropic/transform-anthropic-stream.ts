import { GatewayError } from "../../errors/gateway-error.js";
import type { SseEvent } from "../../http/parse-sse.js";
import type { ChatCompletionChunk } from "../../schemas/chat-response.js";
import type { AnthropicCallPlan, AnthropicStreamEvent, AnthropicUsage } from "./anthropic-types.js";
import { convertAnthropicStreamError } from "./convert-anthropic-stream-error.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { createAnthropicStreamState, type AnthropicStreamState } from "./create-anthropic-stream-state.js";
import { handleAnthropicBlockDelta } from "./handle-anthropic-block-delta.js";
import { handleAnthropicBlockStart } from "./handle-anthropic-block-start.js";
import { handleAnthropicBlockStop } from "./handle-anthropic-block-stop.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

export interface AnthropicStreamOptions {
  provider: string;
  plan: AnthropicCallPlan;
  now(): number;
}

/**
 * Anthropic stream events as OpenAI chunks
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types).
 * The first chunk carries the assistant role; usage from message_start and
 * message_delta is combined and sent once, on the final chunk with the
 * finish reason, at message_stop. An `error` event, bad JSON, or a stream
 * that ends before message_stop is thrown as a GatewayError, never a clean
 * end (Portkey-AI/gateway #1797).
 */
export async function* transformAnthropicStream(events: AsyncIterable<SseEvent>, opts: AnthropicStreamOptions): AsyncGenerator<ChatCompletionChunk> {
  const state = createAnthropicStreamState(opts.plan, Math.floor(opts.now() / 1000));
  for await (const sse of events) {
    // Some Anthropic-compatible servers end with OpenAI's sentinel; it carries nothing.
    if (sse.data === "[DONE]") continue;
    const event = parseEvent(sse, opts.provider);
    if (event.type === "error") throw convertAnthropicStreamError(opts.provider, sse.data, event.error?.type, opts.now());
    for (const chunk of handleEvent(state, event)) yield chunk;
    if (state.done) return;
  }
  throw new GatewayError({
    status: 502,
    code: "upstream_bad_response",
    message: `The ${opts.provider} stream ended before message_stop (stream cut)`,
    isRetryable: true,
    upstream: { kind: "bad_response", provider: opts.provider },
  });
}

function parseEvent(sse: SseEvent, provider: string): AnthropicStreamEvent {
  try {
    const event = JSON.parse(sse.data) as AnthropicStreamEvent | null;
    if (event !== null && typeof event === "object" && typeof event.type === "string") return event;
  } catch {
    /* reported below */
  }
  throw new GatewayError({
    status: 502,
    code: "upstream_bad_response",
    message: `The ${provider} stream sent an unreadable event`,
    isRetryable: true,
    upstream: { kind: "bad_response", provider },
  });
}

function handleEvent(state: AnthropicStreamState, event: AnthropicStreamEvent): ChatCompletionChunk[] {
  switch (event.type) {
    case "message_start":
      state.id = event.message.id;
      state.model = event.message.model;
      mergeUsage(state, event.message.usage);
      return [state.chunk({ role: "assistant", content: "" })];
    case "content_block_start":
      return handleAnthropicBlockStart(state, event.index, event.content_block);
    case "content_block_delta":
      return handleAnthropicBlockDelta(state, event.index, event.delta);
    case "content_block_stop":
      return handleAnthropicBlockStop(state, event.index);
    case "message_delta":
      return handleMessageDelta(state, event);
    case "message_stop":
      return finish(state);
    default:
      // ping, and event types added after this was written, carry nothing for the caller.
      return [];
  }
}

function handleMessageDelta(state: AnthropicStreamState, event: Extract<AnthropicStreamEvent, { type: "message_delta" }>): ChatCompletionChunk[] {
  if (event.delta.stop_reason !== undefined) state.stopReason = event.delta.stop_reason;
  if (event.delta.stop_details) state.stopDetails = event.delta.stop_details;
  mergeUsage(state, event.usage);
  const explanation = state.stopReason === "refusal" ? state.stopDetails?.explanation : undefined;
  return typeof explanation === "string" ? [state.chunk({ refusal: explanation })] : [];
}

/**
 * message_delta usage is cumulative and wins over message_start's
 * (it may even revise input_tokens), field by field
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types).
 */
function mergeUsage(state: AnthropicStreamState, usage: AnthropicUsage | undefined): void {
  if (!usage) return;
  for (const [key, value] of Object.entries(usage)) if (value !== null && value !== undefined) state.usage[key] = value;
}

function finish(state: AnthropicStreamState): ChatCompletionChunk[] {
  state.done = true;
  const out: ChatCompletionChunk[] = [];
  if (state.pendingText.length > 0) {
    // JSON mode, but the model answered in text (e.g. a refusal): send it after all.
    state.contentLength += state.pendingText.length;
    out.push(state.chunk({ content: state.pendingText }));
    state.pendingText = "";
  }
  let reason = mapAnthropicStopReason(state.stopReason);
  if (reason === "tool_calls" && state.toolCount === 0 && state.jsonSeen) reason = "stop";
  out.push(state.finalChunk(reason, convertAnthropicUsage(state.usage)));
  return out;
}
