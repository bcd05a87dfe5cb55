import type { ChatCall } from "../provider.js";

/** Fields only the gateway reads; never sent upstream. */
const GATEWAY_FIELDS = ["models", "route", "provider", "reasoning"] as const;

/**
 * The body for an OpenAI-compatible upstream: the caller's request with the
 * upstream model name, gateway-only fields removed, usage asked for on
 * streams, and `max_tokens` renamed for models that reject it (o-series:
 * "Use 'max_completion_tokens' instead", gollm #33).
 */
export function buildOpenAIBody(call: ChatCall, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...call.request, model: call.route.model };
  for (const f of GATEWAY_FIELDS) delete body[f];
  const reasoning = call.request.reasoning;
  if (reasoning?.effort && body.reasoning_effort === undefined) body.reasoning_effort = reasoning.effort;
  if (call.model.maxCompletionTokens && body.max_tokens != null) {
    body.max_completion_tokens ??= body.max_tokens;
    delete body.max_tokens;
  }
  if (stream) {
    body.stream = true;
    // Always ask: the gateway reports usage on every stream (LiteLLM #11915).
    body.stream_options = { ...(call.request.stream_options ?? {}), include_usage: true };
  } else {
    delete body.stream;
    delete body.stream_options;
  }
  return body;
}
