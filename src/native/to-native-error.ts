import type { JsonResponse } from "../core/gateway-types.js";
import { toErrorBody } from "../errors/to-error-response.js";
import { toAnthropicError } from "../messages/to-anthropic-error.js";
import type { NativeKind } from "./native-types.js";

/** gRPC-style status names Google's errors carry (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes). */
const GOOGLE_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  402: "FAILED_PRECONDITION",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  408: "DEADLINE_EXCEEDED",
  413: "INVALID_ARGUMENT",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
};

/**
 * The gateway's own refusals on a native path, in the provider's error
 * shape, so the provider's SDK reads them: Anthropic `{type:"error",...}`,
 * Google `{error:{code,message,status}}`, OpenAI our usual body.
 */
export function toNativeError(kind: NativeKind | undefined, error: unknown, requestId: string): JsonResponse {
  if (kind === "anthropic") {
    const { status, body, headers } = toAnthropicError(error);
    return { kind: "json", status, headers: { ...headers, "x-request-id": requestId }, body };
  }
  const { status, body, headers } = toErrorBody(error);
  const out = kind === "google" ? { error: { code: status, message: body.error.message, status: GOOGLE_STATUS[status] ?? "UNKNOWN" } } : body;
  return { kind: "json", status, headers: { ...headers, "x-request-id": requestId }, body: out };
}
