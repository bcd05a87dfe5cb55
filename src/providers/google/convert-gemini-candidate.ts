import type { ChatChoice, ReasoningDetail, ResponseMessage, ToolCall } from "../../schemas/chat-response.js";
import { createToolCallId } from "./create-tool-call-id.js";
import { GEMINI_SIGNATURE_FORMAT, type GeminiCandidate } from "./gemini-types.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";

/**
 * One Gemini candidate -> one OpenAI choice. Text parts are joined into
 * `content`; thought parts (`thought: true`, thought summaries:
 * https://ai.google.dev/gemini-api/docs/thinking#summaries) into
 * `reasoning`; each `functionCall` is its own tool call. Every
 * `thoughtSignature` is kept in `reasoning_details`, keyed by the tool call
 * id (or the part index for text), so the next turn can put it back.
 */
export function convertGeminiCandidate(candidate: GeminiCandidate, position: number, responseId: string): ChatChoice {
  const index = candidate.index ?? position;
  const texts: string[] = [];
  const thoughts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const details: ReasoningDetail[] = [];
  (candidate.content?.parts ?? []).forEach((part, partIndex) => {
    let id: string | undefined;
    if (part.functionCall) {
      id = part.functionCall.id ?? createToolCallId(responseId, index, toolCalls.length);
      const args = JSON.stringify(part.functionCall.args ?? {});
      toolCalls.push({ id, type: "function", function: { name: part.functionCall.name ?? "", arguments: args } });
    } else if (typeof part.text === "string") {
      (part.thought === true ? thoughts : texts).push(part.text);
    }
    if (part.thoughtSignature !== undefined) {
      details.push({ type: "reasoning.encrypted", data: part.thoughtSignature, format: GEMINI_SIGNATURE_FORMAT, ...(id !== undefined ? { id } : { index: partIndex }) });
    }
  });
  const message: ResponseMessage = { role: "assistant", content: texts.length > 0 ? texts.join("") : null, refusal: null };
  if (thoughts.length > 0) message.reasoning = thoughts.join("");
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (details.length > 0) message.reasoning_details = details;
  return {
    index,
    message,
    finish_reason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
    logprobs: null,
    native_finish_reason: candidate.finishReason ?? null,
  };
}
