import { toErrorBody } from "../errors/to-error-response.js";

/** Our statuses as Anthropic error types (https://docs.anthropic.com/en/api/errors). */
const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  408: "timeout_error",
  409: "invalid_request_error",
  413: "request_too_large",
  422: "invalid_request_error",
  429: "rate_limit_error",
  500: "api_error",
  502: "api_error",
  503: "overloaded_error",
  504: "timeout_error",
  529: "overloaded_error",
};

export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string };
}

/**
 * Any thrown value as Anthropic's error body `{type:"error", error:{type,
 * message}}`. The message and status come from the one error mapper
 * (toErrorBody), so 5xx internals stay hidden here too.
 */
export function toAnthropicError(error: unknown): { status: number; body: AnthropicErrorBody; headers: Record<string, string> } {
  const { status, body, headers } = toErrorBody(error);
  const type = TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return { status, headers, body: { type: "error", error: { type, message: body.error.message } } };
}
