import type { UpstreamFailureKind } from "../../errors/gateway-error.js";

const CONTEXT = /context.?length|context.?window|too many tokens|prompt is too long|maximum context|input.*too long|exceeds the maximum|reduce the length/;
/**
 * OpenAI's 429 `insufficient_quota` ("check your plan and billing details")
 * and credit errors: our account, not a passing rate limit. Gemini's
 * free-tier "exceeded your current quota" 429 is a per-minute limit with a
 * RetryInfo delay, so quota wording alone is not enough.
 */
const ACCOUNT = /insufficient.?quota|billing|credit balance|payment required/;
/** Compatibles (vLLM, Ollama, DeepSeek) answer an unknown model with a 400 or 422, not a 404. */
const UNKNOWN_MODEL = /model.?not.?found|model_not_found|unknown model|no such model|model .* does not exist|does not exist.*model|invalid model/;

/**
 * Maps an upstream HTTP status (and, where known, the provider's error
 * code/message) to a failure kind. The fallback decision reads only the kind.
 */
export function classifyUpstreamStatus(status: number, code = "", message = ""): UpstreamFailureKind {
  const text = `${code} ${message}`.toLowerCase();
  const clientError = status >= 400 && status < 500;
  // Only a 4xx can blame the prompt: a 5xx body saying "too long" is still the server's failure.
  if (clientError && CONTEXT.test(text)) return "context_length";
  if (status === 401 || status === 403 || status === 402) return "auth";
  if (clientError && ACCOUNT.test(text)) return "auth";
  if (status === 404) return "model_not_found";
  if (status === 408) return "timeout";
  if (status === 409 || status === 425) return "conflict";
  if (status === 429) return "rate_limited";
  if (status === 529 || /overloaded/.test(text)) return "overloaded";
  if (status >= 500) return "server";
  if ((status === 400 || status === 422) && UNKNOWN_MODEL.test(text)) return "model_not_found";
  return "bad_request";
}
