import { GatewayError } from "./gateway-error.js";

/** Small constructors for the errors of the status table in the README. */
export function invalidRequest(message: string, param: string | null = null, code = "invalid_request_error"): GatewayError {
  return new GatewayError({ status: 400, code, message, param });
}

export function invalidApiKey(message = "Missing or invalid API key. Send it as 'Authorization: Bearer <key>'."): GatewayError {
  return new GatewayError({ status: 401, code: "invalid_api_key", message });
}

export function forbidden(message: string): GatewayError {
  return new GatewayError({ status: 403, code: "forbidden", message });
}

export function insufficientBalance(message: string): GatewayError {
  return new GatewayError({ status: 402, code: "insufficient_balance", message });
}

export function notFound(message: string, code = "not_found", param: string | null = null): GatewayError {
  return new GatewayError({ status: 404, code, message, param });
}

export function rateLimited(message: string, retryAfterSeconds: number, headers: Record<string, string> = {}): GatewayError {
  return new GatewayError({
    status: 429,
    code: "rate_limit_exceeded",
    message,
    headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))), ...headers },
  });
}

export function internalError(cause?: unknown): GatewayError {
  return new GatewayError({ status: 500, code: "internal_error", message: "Internal error", cause });
}

export function noRouteAvailable(message: string, cause?: unknown): GatewayError {
  return new GatewayError({ status: 503, code: "no_route_available", message, cause, expose: true });
}

export function shuttingDown(): GatewayError {
  return new GatewayError({ status: 503, code: "gateway_closing", message: "The gateway is shutting down; retry the request", headers: { "retry-after": "1" }, expose: true });
}

export function methodNotAllowed(allowed: string): GatewayError {
  return new GatewayError({ status: 405, code: "method_not_allowed", message: `Use ${allowed} for this endpoint`, headers: { allow: allowed } });
}
