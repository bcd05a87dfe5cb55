import type { ChatCompletionChunk, ChunkChoice, ToolCallDelta } from "../../schemas/chat-response.js";
import { splitContentParts } from "./normalize-openai-message.js";
import { normalizeOpenAIUsage } from "./normalize-openai-usage.js";
import { dropOffSpecFields } from "./drop-off-spec-fields.js";

/** Per-stream state: tool-call indexes for upstreams that omit them, and argument lengths per call. */
export interface ChunkState {
  toolIndexById: Map<string, number>;
  lastToolIndex: number;
  /** Argument characters seen per tool-call index, to close empty ones with `{}`. */
  argumentChars: Map<number, number>;
}

export function createChunkState(): ChunkState {
  return { toolIndexById: new Map(), lastToolIndex: -1, argumentChars: new Map() };
}

function normalizeToolDelta(delta: ToolCallDelta & { id?: string }, state: ChunkState): ToolCallDelta {
  const out: ToolCallDelta = { ...delta };
  // Alibaba repeats `id: ""` on continuation deltas: it must not replace the first id.
  if (out.id === "") delete out.id;
  if (typeof out.index !== "number") {
    // Mistral omits `index`: a new id opens a new call, no id continues the last.
    if (out.id !== undefined) {
      const known = state.toolIndexById.get(out.id);
      out.index = known ?? state.lastToolIndex + 1;
    } else {
      out.index = Math.max(0, state.lastToolIndex);
    }
  }
  if (out.id !== undefined) state.toolIndexById.set(out.id, out.index);
  state.lastToolIndex = Math.max(state.lastToolIndex, out.index);
  if (out.id !== undefined) out.type = "function";
  state.argumentChars.set(out.index, (state.argumentChars.get(out.index) ?? 0) + (out.function?.arguments?.length ?? 0));
  return out;
}

/**
 * A call to a tool without parameters may stream no arguments at all; the
 * assembled call would then hold "" and fail JSON.parse in the caller
 * (anomalyco/opencode #24137, vercel/ai #2103). On the finish chunk, such
 * calls get "{}".
 */
function closeEmptyCalls(delta: Record<string, unknown>, state: ChunkState): void {
  const empty: ToolCallDelta[] = [];
  for (const [index, chars] of state.argumentChars) if (chars === 0) empty.push({ index, function: { arguments: "{}" } });
  if (empty.length === 0) return;
  delta.tool_calls = [...((delta.tool_calls as ToolCallDelta[] | undefined) ?? []), ...empty];
  for (const call of empty) state.argumentChars.set(call.index, 2);
}

/**
 * One upstream chunk into our shape, in place where possible (the hot path
 * of every stream): reasoning aliases, array content, tool-call indexes,
 * `finish_reason` always present, usage normalised.
 */
export function normalizeOpenAIChunk(raw: ChatCompletionChunk, state: ChunkState): ChatCompletionChunk {
  const choices = raw.choices ?? [];
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i] as ChunkChoice & { delta?: Record<string, unknown> };
    if (choice.finish_reason === undefined) choice.finish_reason = null;
    const delta = (choice.delta ?? (choice.delta = {})) as Record<string, unknown>;
    if (Array.isArray(delta.content)) {
      const { text, reasoning } = splitContentParts(delta.content);
      delta.content = text;
      if (reasoning) delta.reasoning = reasoning;
    }
    if ("reasoning_content" in delta) {
      // DeepSeek/xAI name; DeepSeek sends `reasoning_content: null` on its finish chunk.
      if (typeof delta.reasoning_content === "string") delta.reasoning = delta.reasoning_content;
      delete delta.reasoning_content;
    }
    const calls = delta.tool_calls as ToolCallDelta[] | undefined;
    if (Array.isArray(calls)) delta.tool_calls = calls.map((c) => normalizeToolDelta(c, state));
    if (choice.finish_reason !== null && state.argumentChars.size > 0) closeEmptyCalls(delta, state);
  }
  if (raw.object !== "chat.completion.chunk") raw.object = "chat.completion.chunk";
  dropOffSpecFields(raw);
  if (raw.usage) raw.usage = normalizeOpenAIUsage(raw.usage) ?? null;
  return raw;
}
