import type { GatewayError } from "../../errors/gateway-error.js";
import { toUpstreamError } from "../shared/to-upstream-error.js";
import { extractAnthropicError } from "./extract-anthropic-error.js";

/**
 * HTTP statuses Anthropic documents for each error type
 * (https://docs.anthropic.com/en/api/errors#http-errors). An `error` event
 * inside a 200 stream carries only the type, so the status is recovered
 * from it and the event is classified like the same error before the stream.
 */
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** A mid-stream `error` event (its raw `data`) as a typed GatewayError. */
export function convertAnthropicStreamError(provider: string, data: string, errorType: string | undefined, now: number): GatewayError {
  const status = STATUS_BY_TYPE[errorType ?? ""] ?? 500;
  return toUpstreamError(provider, status, {}, data, extractAnthropicError, now);
}
