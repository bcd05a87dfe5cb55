import { convertAnthropicUsage } from "../providers/anthropic/convert-anthropic-usage.js";
import { convertGeminiUsage } from "../providers/google/convert-gemini-usage.js";
import { normalizeOpenAIUsage } from "../providers/openai-compatible/normalize-openai-usage.js";
import type { Usage } from "../schemas/chat-response.js";
import type { NativeKind } from "./native-types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Usage seen so far in one native answer, kept as the provider reports it. */
export interface UsageCollector {
  /** One JSON payload: a whole body, or one SSE event's data. */
  add(payload: unknown): void;
  usage(): Usage | null;
}

/**
 * Reads usage the way each API reports it, never summing: Anthropic's
 * message_start then message_delta usage (cumulative, later fields win),
 * or a whole message's `usage`
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types);
 * Gemini's `usageMetadata`, cumulative on every chunk so the last one
 * counts (ogx-ai/ogx #5122); OpenAI's `usage`, the last non-null one.
 */
export function collectNativeUsage(kind: NativeKind): UsageCollector {
  let anthropic: Obj | null = null;
  let last: unknown = null;
  return {
    add(payload) {
      if (Array.isArray(payload)) return payload.forEach((p) => this.add(p));
      if (!isObj(payload)) return;
      if (kind === "anthropic") {
        const u = payload.type === "message_start" && isObj(payload.message) ? payload.message.usage : payload.usage;
        if (isObj(u)) anthropic = { ...anthropic, ...Object.fromEntries(Object.entries(u).filter(([, v]) => v !== null)) };
        // count_tokens answers {input_tokens} at the top level: nothing is generated, nothing billed.
      } else if (kind === "google") {
        if (isObj(payload.usageMetadata)) last = payload.usageMetadata;
      } else if (isObj(payload.usage)) last = payload.usage;
    },
    usage() {
      if (kind === "anthropic") return anthropic ? convertAnthropicUsage(anthropic) : null;
      if (!last) return null;
      return kind === "google" ? convertGeminiUsage(last as Parameters<typeof convertGeminiUsage>[0]) : (normalizeOpenAIUsage(last as Parameters<typeof normalizeOpenAIUsage>[0]) ?? null);
    },
  };
}
