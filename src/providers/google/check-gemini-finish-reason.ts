import { GatewayError } from "../../errors/gateway-error.js";

/**
 * Finish reasons that mean the model produced a broken answer rather than a
 * short or filtered one (https://ai.google.dev/api/generate-content#FinishReason).
 * They are not swallowed into a normal finish (OmniRoute #724): the attempt
 * fails with a retryable 502 `malformed_function_call`, so the router may
 * fall back to another route.
 */
const MALFORMED = new Set(["MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "MALFORMED_RESPONSE"]);

export function checkGeminiFinishReason(provider: string, reason: string | undefined, finishMessage?: string): void {
  if (reason === undefined || !MALFORMED.has(reason)) return;
  throw new GatewayError({
    status: 502,
    code: "malformed_function_call",
    message: `Upstream ${provider} ended with ${reason}${finishMessage ? `: ${finishMessage}` : ""}`,
    isRetryable: true,
    upstream: { kind: "bad_response", provider },
  });
}
