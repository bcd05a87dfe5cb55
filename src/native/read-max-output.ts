import type { NativeKind } from "./native-types.js";

/**
 * The output limit a native request asks for, for the balance hold:
 * Anthropic `max_tokens`, Gemini `generationConfig.maxOutputTokens`,
 * OpenAI `max_completion_tokens` or `max_tokens`.
 */
export function readMaxOutput(kind: NativeKind, json: Record<string, unknown> | undefined): number | undefined {
  const n = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);
  if (!json) return undefined;
  if (kind === "anthropic") return n(json.max_tokens);
  if (kind === "google") return n((json.generationConfig as { maxOutputTokens?: unknown } | undefined)?.maxOutputTokens);
  return n(json.max_completion_tokens) ?? n(json.max_tokens);
}
