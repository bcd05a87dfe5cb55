import { GatewayError, isGatewayError } from "./gateway-error.js";
import { internalError } from "./errors.js";

export interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** Generic texts for statuses whose own message must not be shown (5xx). */
const hiddenMessages: Record<number, string> = {
  500: "Internal error",
  502: "The upstream provider returned an error",
  503: "No route is available to serve this model right now",
  504: "The upstream provider timed out",
};

/**
 * The one mapper from any thrown value to the wire error body. Only
 * `expose`d messages (4xx by default) reach the client, as Koa's rule does.
 */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const err: GatewayError = isGatewayError(error) ? error : internalError(error);
  const message = err.expose ? err.message : (hiddenMessages[err.status] ?? "Internal error");
  return {
    status: err.status,
    headers: err.headers,
    body: { error: { message, type: err.type, code: err.code, param: err.param } },
  };
}
