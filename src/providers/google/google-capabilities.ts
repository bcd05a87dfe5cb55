/**
 * Chat request parameters the Google provider honours (the capability table
 * of issue 3). Anything else in a request (logprobs, logit_bias, user,
 * parallel_tool_calls, metadata...) has no Gemini equivalent and is the
 * core's to drop and report. Routing fields (models, route, provider) are
 * the core's own.
 */
export const googleCapabilities: ReadonlySet<string> = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "n",
  "stop",
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "tools",
  "tool_choice",
  "response_format",
  "reasoning",
  "reasoning_effort",
]);
