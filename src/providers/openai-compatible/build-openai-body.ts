import type { ChatCall } from "../provider.js";

/** Fields only the gateway reads (never sent upstream), and those set below. */
const NOT_COPIED = new Set(["model", "models", "route", "provider", "reasoning", "stream", "stream_options"]);

/**
 * The body for an OpenAI-compatible upstream: the caller's request with the
 * upstream model name, gateway-only fields left out, usage asked for on
 * streams, and `max_tokens` renamed for models that reject it (o-series:
 * "Use 'max_completion_tokens' instead", gollm #33). Built by copying, not
 * by deleting from a spread, so the object keeps a fast shape for stringify.
 */
export function buildOpenAIBody(call: ChatCall, stream: boolean): Record<string, unknown> {
  const request = call.request as Record<string, unknown>;
  const rename = call.model.maxCompletionTokens && request.max_tokens != null;
  const body: Record<string, unknown> = { model: call.route.model };
  for (const key in request) {
    if (NOT_COPIED.has(key) || request[key] === undefined || (rename && key === "max_tokens")) continue;
    body[key] = request[key];
  }
  if (rename) body.max_completion_tokens ??= request.max_tokens;
  const effort = call.request.reasoning?.effort;
  if (effort && body.reasoning_effort === undefined) body.reasoning_effort = effort;
  if (stream) {
    body.stream = true;
    // Always ask: the gateway reports usage on every stream (LiteLLM #11915).
    body.stream_options = { ...(call.request.stream_options ?? {}), include_usage: true };
  }
  return body;
}
