import type { UpstreamFailureKind } from "../../errors/gateway-error.js";

/**
 * Maps an upstream HTTP status (and, where known, the provider's error
 * code/message) to a failure kind. The fallback decision reads only the kind.
 */
export function classifyUpstreamStatus(status: number, code = "", message = ""): UpstreamFailureKind {
  const text = `${code} ${message}`.toLowerCase();
  if (/context.?length|too many tokens|prompt is too long|maximum context|input.*too long|exceeds the maximum/.test(text)) return "context_length";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "model_not_found";
  if (status === 408) return "timeout";
  if (status === 409 || status === 425) return "conflict";
  if (status === 429) return "rate_limited";
  if (status === 529 || /overloaded/.test(text)) return "overloaded";
  if (status >= 500) return "server";
  return "bad_request";
}
