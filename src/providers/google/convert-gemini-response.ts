import { GatewayError } from "../../errors/gateway-error.js";
import type { ChatChoice, ChatCompletion } from "../../schemas/chat-response.js";
import { checkGeminiFinishReason } from "./check-gemini-finish-reason.js";
import { convertGeminiCandidate } from "./convert-gemini-candidate.js";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import type { GeminiResponse } from "./gemini-types.js";

export interface GeminiResponseContext {
  provider: string;
  /** The upstream model asked for; `modelVersion` wins when present. */
  model: string;
  requestId: string;
  created: number;
}

/**
 * A `GenerateContentResponse` -> a chat completion. `n > 1` gives one
 * choice per candidate. A prompt blocked before generation
 * (`promptFeedback.blockReason`, no candidates:
 * https://ai.google.dev/api/generate-content#PromptFeedback) is one empty
 * choice with `content_filter`. A body with neither is a bad response.
 */
export function convertGeminiResponse(body: GeminiResponse, ctx: GeminiResponseContext): ChatCompletion {
  const responseId = body.responseId ?? ctx.requestId;
  const candidates = body.candidates ?? [];
  for (const candidate of candidates) checkGeminiFinishReason(ctx.provider, candidate.finishReason, candidate.finishMessage);
  let choices: ChatChoice[] = candidates.map((c, i) => convertGeminiCandidate(c, i, responseId)).sort((a, b) => a.index - b.index);
  if (choices.length === 0) {
    const blockReason = body.promptFeedback?.blockReason;
    if (blockReason === undefined) {
      throw new GatewayError({ status: 502, code: "upstream_bad_response", message: `Upstream ${ctx.provider} answered without candidates`, isRetryable: true, upstream: { kind: "bad_response", provider: ctx.provider } });
    }
    choices = [{ index: 0, message: { role: "assistant", content: null, refusal: null }, finish_reason: "content_filter", logprobs: null, native_finish_reason: blockReason }];
  }
  return {
    id: `chatcmpl-${responseId}`,
    object: "chat.completion",
    created: ctx.created,
    model: body.modelVersion ?? ctx.model,
    choices,
    usage: convertGeminiUsage(body.usageMetadata),
  };
}
