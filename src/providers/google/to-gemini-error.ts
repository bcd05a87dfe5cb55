import type { GatewayError } from "../../errors/gateway-error.js";
import { toUpstreamError, type ExtractedError } from "../shared/to-upstream-error.js";
import { parseGeminiRetryDelay } from "./parse-gemini-retry-delay.js";

/**
 * Google's error body is `{error: {code, message, status, details}}`
 * (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes);
 * `status` (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, NOT_FOUND...) becomes the
 * code, lower-cased. Empty, HTML or non-JSON bodies are toUpstreamError's
 * clean 502. A 429 without retry headers takes its hint from RetryInfo.
 */
export function toGeminiError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, text: string, now: number): GatewayError {
  const error = toUpstreamError(provider, status, headers, text, extractGeminiError, now);
  if (error.upstream?.kind === "rate_limited" && error.upstream.retryAfterMs === undefined) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const delay = parseGeminiRetryDelay(body);
    if (delay !== undefined) {
      error.upstream.retryAfterMs = delay;
      error.headers["retry-after"] ??= String(Math.max(1, Math.ceil(delay / 1000)));
    }
  }
  return error;
}

function extractGeminiError(json: unknown): ExtractedError {
  const error = (json as { error?: { message?: unknown; status?: unknown } } | null)?.error;
  if (typeof error !== "object" || error === null) return {};
  const out: ExtractedError = {};
  if (typeof error.message === "string") out.message = error.message;
  if (typeof error.status === "string") out.code = error.status.toLowerCase();
  return out;
}
