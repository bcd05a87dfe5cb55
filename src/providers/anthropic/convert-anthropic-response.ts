import type { ChatCompletion, ResponseMessage } from "../../schemas/chat-response.js";
import type { AnthropicCallPlan, AnthropicResponse } from "./anthropic-types.js";
import { convertAnthropicContent } from "./convert-anthropic-content.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

/**
 * A Messages API response as an OpenAI chat completion. `model` is the model
 * Anthropic says answered (e.g. the dated snapshot), `id` its message id.
 */
export function convertAnthropicResponse(response: AnthropicResponse, plan: AnthropicCallPlan, createdSeconds: number): ChatCompletion {
  const content = convertAnthropicContent(response.content, plan);
  const message: ResponseMessage = { role: "assistant", content: null, refusal: null };
  if (content.json !== undefined) {
    // response_format answered through the forced tool: its input is the answer.
    message.content = content.json;
  } else if (content.hasText) {
    message.content = content.text;
  }
  if (content.toolCalls.length > 0) message.tool_calls = content.toolCalls;
  if (!plan.excludeReasoning && content.reasoningDetails.length > 0) {
    message.reasoning = content.reasoning;
    message.reasoning_details = content.reasoningDetails;
  }
  if (content.json === undefined && content.annotations.length > 0) message.annotations = content.annotations;
  if (content.json === undefined && content.citations.length > 0) message.citations = content.citations;
  if (response.stop_reason === "refusal" && typeof response.stop_details?.explanation === "string") {
    message.refusal = response.stop_details.explanation;
  }
  let finish = mapAnthropicStopReason(response.stop_reason);
  // The answer tool is not a call for the caller to run.
  if (finish === "tool_calls" && content.toolCalls.length === 0 && content.json !== undefined) finish = "stop";
  return {
    id: response.id,
    object: "chat.completion",
    created: createdSeconds,
    model: response.model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null, native_finish_reason: response.stop_reason ?? null }],
    usage: convertAnthropicUsage(response.usage),
  };
}
