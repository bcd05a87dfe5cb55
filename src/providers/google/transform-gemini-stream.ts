import { GatewayError } from "../../errors/gateway-error.js";
import type { SseEvent } from "../../http/parse-sse.js";
import type { ChatCompletionChunk, ChunkChoice } from "../../schemas/chat-response.js";
import { checkGeminiFinishReason } from "./check-gemini-finish-reason.js";
import { convertGeminiStreamCandidate } from "./convert-gemini-stream-candidate.js";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import { createCandidateStreamState, type CandidateStreamState } from "./create-candidate-stream-state.js";
import type { GeminiResponse, GeminiUsageMetadata } from "./gemini-types.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";
import { toGeminiError } from "./to-gemini-error.js";

export interface GeminiStreamContext {
  provider: string;
  model: string;
  requestId: string;
  created: number;
  now(): number;
}

/**
 * `streamGenerateContent?alt=sse` events -> chat.completion.chunk objects.
 * Each event is a partial GenerateContentResponse
 * (https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent)
 * whose `usageMetadata` is cumulative and repeated on every event: only the
 * last one counts, sent once on the final chunk, never summed
 * (ogx-ai/ogx #5122). The final chunk carries every choice's finish_reason.
 * A stream that ends before any finishReason was cut: it throws a retryable
 * bad_response error rather than ending as a clean answer (Portkey #1797).
 */
export async function* transformGeminiStream(events: AsyncIterable<SseEvent>, ctx: GeminiStreamContext): AsyncGenerator<ChatCompletionChunk> {
  const states = new Map<number, CandidateStreamState>();
  let usage: GeminiUsageMetadata | undefined;
  let responseId: string | undefined;
  let model = ctx.model;
  let blockReason: string | undefined;
  const chunk = (choices: ChunkChoice[]): ChatCompletionChunk => ({ id: `chatcmpl-${responseId ?? ctx.requestId}`, object: "chat.completion.chunk", created: ctx.created, model, choices });
  for await (const event of events) {
    if (event.data === "[DONE]") continue;
    const body = parseEvent(event.data, ctx);
    responseId ??= body.responseId;
    model = body.modelVersion ?? model;
    if (hasTokenCounts(body.usageMetadata)) usage = body.usageMetadata;
    blockReason = body.promptFeedback?.blockReason ?? blockReason;
    const choices: ChunkChoice[] = [];
    (body.candidates ?? []).forEach((candidate, position) => {
      checkGeminiFinishReason(ctx.provider, candidate.finishReason, candidate.finishMessage);
      const index = candidate.index ?? position;
      const state = states.get(index) ?? createCandidateStreamState(index);
      states.set(index, state);
      const delta = convertGeminiStreamCandidate(state, candidate, responseId ?? ctx.requestId);
      if (delta !== undefined) choices.push({ index, delta, finish_reason: null });
    });
    if (choices.length > 0) yield chunk(choices);
  }
  const final = chunk(finalChoices(states, blockReason, ctx.provider));
  if (usage !== undefined) final.usage = convertGeminiUsage(usage);
  yield final;
}

function parseEvent(data: string, ctx: GeminiStreamContext): GeminiResponse {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    body = undefined;
  }
  if (typeof body !== "object" || body === null) {
    throw new GatewayError({ status: 502, code: "upstream_bad_response", message: `Upstream ${ctx.provider} sent a stream event that is not JSON`, isRetryable: true, upstream: { kind: "bad_response", provider: ctx.provider } });
  }
  const error = (body as GeminiResponse).error;
  // An error can arrive inside a 200 stream; it keeps its HTTP code (vercel/ai #2698).
  if (error !== undefined) throw toGeminiError(ctx.provider, typeof error.code === "number" ? error.code : 500, {}, data, ctx.now());
  return body as GeminiResponse;
}

/** Vertex sends `usageMetadata` with only `trafficType` on early events: those are not usage. */
function hasTokenCounts(meta: GeminiUsageMetadata | undefined): meta is GeminiUsageMetadata {
  return meta !== undefined && (meta.promptTokenCount !== undefined || meta.candidatesTokenCount !== undefined || meta.totalTokenCount !== undefined);
}

function finalChoices(states: Map<number, CandidateStreamState>, blockReason: string | undefined, provider: string): ChunkChoice[] {
  if (states.size === 0 && blockReason !== undefined) {
    // The prompt itself was blocked: no candidates at all (PromptFeedback.blockReason).
    return [{ index: 0, delta: { role: "assistant", content: null }, finish_reason: "content_filter", native_finish_reason: blockReason }];
  }
  const all = [...states.values()].sort((a, b) => a.index - b.index);
  if (all.length === 0 || all.some((s) => s.finishReason === undefined)) {
    throw new GatewayError({
      status: 502,
      code: "upstream_stream_incomplete",
      message: `Upstream ${provider} ended the stream before a finish reason`,
      isRetryable: true,
      upstream: { kind: "bad_response", provider },
    });
  }
  return all.map((s) => ({
    index: s.index,
    delta: s.started ? {} : { role: "assistant", content: "" },
    finish_reason: mapGeminiFinishReason(s.finishReason, s.callCount > 0),
    native_finish_reason: s.finishReason ?? null,
  }));
}
