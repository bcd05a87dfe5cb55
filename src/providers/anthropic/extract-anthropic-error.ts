import type { ExtractedError } from "../shared/to-upstream-error.js";

/**
 * Reads Anthropic's error body `{type:"error", error:{type, message}, request_id}`
 * (https://docs.anthropic.com/en/api/errors). Throws on any other shape so
 * toUpstreamError treats the body as unreadable (a clean 502).
 */
export function extractAnthropicError(json: unknown): ExtractedError {
  const error = (json as { error?: unknown } | null)?.error;
  if (error === null || typeof error !== "object") throw new Error("not an Anthropic error body");
  const { type, message } = error as { type?: unknown; message?: unknown };
  const out: ExtractedError = {};
  if (typeof type === "string") {
    out.type = type;
    out.code = type;
  }
  if (typeof message === "string") out.message = message;
  return out;
}
