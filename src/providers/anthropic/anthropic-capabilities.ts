/**
 * Chat request parameters the Anthropic provider honours (fully, or with a
 * reported adjustment). Not here, so dropped and reported by the gateway:
 * n (one answer per call), seed, logit_bias, logprobs, top_logprobs,
 * presence_penalty, frequency_penalty; the Messages API has none of them
 * (https://docs.anthropic.com/en/api/openai-sdk#request-fields).
 */
export const anthropicCapabilities: ReadonlySet<string> = new Set([
  "model",
  "models",
  "route",
  "provider",
  "messages",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "reasoning",
  "reasoning_effort",
  "user",
  "stream",
  "stream_options",
  "metadata",
]);
