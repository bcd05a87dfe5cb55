import type { ChatRequest } from "../schemas/chat-request-schema.js";

/** Request fields that are routing or bookkeeping, not model parameters. */
const NOT_PARAMS = new Set(["model", "models", "route", "provider", "messages", "stream", "stream_options", "metadata", "user"]);

/**
 * Parameters the caller set that a provider does not honour. Defaults that
 * change nothing (n: 1, parallel_tool_calls: true, null) are not reported.
 */
export function findDroppedParams(request: ChatRequest, capabilities: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (capabilities.has("*")) return out;
  for (const key in request) {
    if (NOT_PARAMS.has(key) || capabilities.has(key)) continue;
    const value = (request as Record<string, unknown>)[key];
    if (value === null || value === undefined) continue;
    if (key === "n" && value === 1) continue;
    if (key === "parallel_tool_calls" && value === true) continue;
    if (key === "logprobs" && value === false) continue;
    out.push(key);
  }
  return out;
}
