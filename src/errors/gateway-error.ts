/**
 * Errors are typed data (DESIGN convention 3): every failure inside the
 * gateway is a GatewayError, and `toErrorResponse` is the only place that
 * turns one into a wire body.
 */
export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "insufficient_balance"
  | "permission_error"
  | "not_found_error"
  | "timeout_error"
  | "conflict_error"
  | "request_too_large"
  | "unprocessable_entity"
  | "rate_limit_error"
  | "api_error"
  | "upstream_error"
  | "service_unavailable";

/** Why an upstream call failed; the fallback decision is made over this. */
export type UpstreamFailureKind =
  | "connection" // refused, reset, DNS
  | "timeout" // connect, first byte, idle or total
  | "rate_limited" // 429
  | "overloaded" // 529 and friends
  | "server" // 5xx
  | "auth" // 401/403: our credentials
  | "model_not_found" // 404 for the model
  | "context_length" // prompt too long for this model
  | "bad_request" // the caller's own fault: do not fall back
  | "bad_response" // unparseable body, cut stream
  | "conflict"; // 409, 425

export interface GatewayErrorInit {
  status: number;
  code: string;
  type?: ErrorType;
  message: string;
  param?: string | null;
  isRetryable?: boolean;
  cause?: unknown;
  headers?: Record<string, string>;
  /** Set for errors that came from an upstream provider. */
  upstream?: { kind: UpstreamFailureKind; status?: number; provider?: string; retryAfterMs?: number };
  /** Whether the message may be shown to the caller (4xx default true, 5xx false). */
  expose?: boolean;
}

const defaultTypes: Record<number, ErrorType> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "insufficient_balance",
  403: "permission_error",
  404: "not_found_error",
  408: "timeout_error",
  409: "conflict_error",
  413: "request_too_large",
  422: "unprocessable_entity",
  429: "rate_limit_error",
  500: "api_error",
  502: "upstream_error",
  503: "service_unavailable",
  504: "timeout_error",
};

export class GatewayError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: ErrorType;
  readonly param: string | null;
  readonly isRetryable: boolean;
  readonly headers: Record<string, string>;
  readonly upstream?: GatewayErrorInit["upstream"];
  readonly expose: boolean;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "GatewayError";
    this.status = init.status;
    this.code = init.code;
    this.type = init.type ?? defaultTypes[init.status] ?? (init.status >= 500 ? "api_error" : "invalid_request_error");
    this.param = init.param ?? null;
    this.isRetryable = init.isRetryable ?? false;
    this.headers = init.headers ?? {};
    this.upstream = init.upstream;
    this.expose = init.expose ?? init.status < 500;
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
