import { GatewayError } from "../../errors/gateway-error.js";
import { classifyUpstreamStatus } from "./classify-upstream-status.js";
import { parseRetryAfterMs, pickRelayHeaders } from "./pick-relay-headers.js";

export interface ExtractedError {
  message?: string;
  code?: string;
  type?: string;
  param?: string | null;
}

/**
 * Builds the typed error for a non-2xx upstream answer. The body is parsed
 * at the boundary and may be empty, HTML or not JSON: that is a clean 502
 * (DESIGN convention 5). `extract` knows the provider's own error shape.
 */
export function toUpstreamError(
  provider: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  extract: (json: unknown) => ExtractedError,
  now: number,
): GatewayError {
  let info: ExtractedError = {};
  let parsed = false;
  try {
    info = extract(JSON.parse(text));
    parsed = true;
  } catch {
    /* not JSON: handled below */
  }
  const kind = parsed ? classifyUpstreamStatus(status, info.code ?? info.type, info.message) : classifyUpstreamStatus(status);
  const retryAfterMs = parseRetryAfterMs(headers, now);
  const relay = pickRelayHeaders(headers);
  const upstream = { kind, status, provider, retryAfterMs };
  const retryable = kind !== "bad_request" && kind !== "context_length";
  if (kind === "bad_request" || kind === "context_length") {
    // The caller's own request was refused: pass the message on (it names the parameter).
    return new GatewayError({
      status: kind === "context_length" ? 400 : status === 422 ? 422 : 400,
      code: kind === "context_length" ? "context_length_exceeded" : (info.code ?? "invalid_request_error"),
      message: info.message ?? `The upstream provider rejected the request (HTTP ${status})`,
      param: info.param ?? null,
      upstream,
      headers: relay,
    });
  }
  if (kind === "rate_limited") {
    return new GatewayError({
      status: 429,
      code: "rate_limit_exceeded",
      message: "The upstream provider is rate limiting requests",
      isRetryable: true,
      upstream,
      headers: relay,
    });
  }
  if (kind === "model_not_found") {
    return new GatewayError({ status: 404, code: "model_not_found", message: "The upstream provider does not serve this model", isRetryable: true, upstream, headers: relay, expose: true });
  }
  if (kind === "timeout") {
    return new GatewayError({ status: 408, code: "upstream_timeout", message: "The upstream provider timed out", isRetryable: true, upstream, expose: true });
  }
  if (kind === "conflict") {
    // 409/425: the upstream could not take the request right now; retried, and if it
    // persists the caller gets the conflict status to retry later, not a generic 502.
    return new GatewayError({ status: 409, code: "conflict", message: "The upstream provider reported a conflict; retry the request", isRetryable: true, upstream, headers: relay, expose: true });
  }
  // auth errors are ours (our credentials): never shown to the caller.
  return new GatewayError({
    status: 502,
    code: parsed ? "upstream_error" : "upstream_bad_response",
    message: `Upstream ${provider} answered HTTP ${status}`,
    isRetryable: retryable,
    upstream,
    headers: relay,
  });
}
