import type { ChatCompletionChunk, ChunkDelta, FinishReason, Usage } from "../../schemas/chat-response.js";
import type { AnthropicCallPlan, AnthropicCitation, AnthropicStopDetails, AnthropicUsage } from "./anthropic-types.js";

/** What one Anthropic content block (by its Anthropic index) became. */
export interface StreamBlock {
  kind: "text" | "tool" | "json" | "thinking" | "ignored";
  /** OpenAI tool call index: the order among tool_use blocks, not the Anthropic block index. */
  toolIndex: number;
  /** Index among reasoning blocks, for reasoning_details. */
  reasoningIndex: number;
  /** Whether any non-empty input_json_delta arrived. */
  streamed: boolean;
  /** `input` from content_block_start (some Anthropic-compatible servers send it whole). */
  input: unknown;
  /** Content offset where this text block began, for citation ranges. */
  textStart: number;
  citations: AnthropicCitation[];
}

/** Everything the stream transformer remembers between events. */
export interface AnthropicStreamState {
  plan: AnthropicCallPlan;
  id: string;
  model: string;
  created: number;
  usage: AnthropicUsage;
  blocks: Map<number, StreamBlock>;
  toolCount: number;
  reasoningCount: number;
  /** Characters of content sent so far. */
  contentLength: number;
  /** JSON mode: text held back until we know whether the answer tool is used. */
  pendingText: string;
  jsonSeen: boolean;
  stopReason: string | null;
  stopDetails: AnthropicStopDetails | null;
  done: boolean;
  chunk(delta: ChunkDelta): ChatCompletionChunk;
  finalChunk(finish: FinishReason, usage: Usage): ChatCompletionChunk;
}

export function createAnthropicStreamState(plan: AnthropicCallPlan, createdSeconds: number): AnthropicStreamState {
  const state: AnthropicStreamState = {
    plan,
    id: "",
    model: "",
    created: createdSeconds,
    usage: {},
    blocks: new Map(),
    toolCount: 0,
    reasoningCount: 0,
    contentLength: 0,
    pendingText: "",
    jsonSeen: false,
    stopReason: null,
    stopDetails: null,
    done: false,
    chunk: (delta) => ({
      id: state.id,
      object: "chat.completion.chunk",
      created: state.created,
      model: state.model,
      choices: [{ index: 0, delta, finish_reason: null, logprobs: null }],
    }),
    finalChunk: (finish, usage) => ({
      id: state.id,
      object: "chat.completion.chunk",
      created: state.created,
      model: state.model,
      choices: [{ index: 0, delta: {}, finish_reason: finish, logprobs: null, native_finish_reason: state.stopReason }],
      usage,
    }),
  };
  return state;
}
