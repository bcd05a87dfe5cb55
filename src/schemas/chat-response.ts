/**
 * The OpenAI-format objects the gateway emits. Providers translate their
 * upstream answers into these; the gateway adds usage cost and ids.
 */
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

/** A reasoning block kept so it can be sent back (Anthropic signatures, Gemini thought signatures). */
export interface ReasoningDetail {
  type: "reasoning.text" | "reasoning.encrypted" | "reasoning.summary";
  text?: string;
  signature?: string | null;
  data?: string;
  format?: string;
  index?: number;
  [extra: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** USD, computed by the gateway from the model's pricing. */
  cost?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; audio_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number };
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call" | "error";

export interface ResponseMessage {
  role: "assistant";
  content: string | null;
  refusal: string | null;
  tool_calls?: ToolCall[];
  reasoning?: string | null;
  reasoning_details?: ReasoningDetail[];
  annotations?: unknown[];
  [extra: string]: unknown;
}

export interface ChatChoice {
  index: number;
  message: ResponseMessage;
  finish_reason: FinishReason | null;
  logprobs: unknown | null;
  /** The provider's own finish reason, when it said more than finish_reason can. */
  native_finish_reason?: string | null;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  provider?: string;
  choices: ChatChoice[];
  usage: Usage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  [extra: string]: unknown;
}

export interface ChunkDelta {
  role?: "assistant";
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[];
  reasoning?: string | null;
  reasoning_details?: ReasoningDetail[];
  [extra: string]: unknown;
}

export interface ChunkChoice {
  index: number;
  delta: ChunkDelta;
  finish_reason: FinishReason | null;
  logprobs?: unknown | null;
  native_finish_reason?: string | null;
}

/**
 * On a common chunk (one choice whose delta is text, the opening role or
 * empty, see readCommonChunk), the delta's fields exactly as the upstream
 * wrote them, JSON-escaped: the OpenAI formatter writes them back without
 * a parse and stringify round trip (the SSE hot path).
 */
export const RAW_DELTA: unique symbol = Symbol("modelmux.rawDelta");

export interface ChatCompletionChunk {
  [RAW_DELTA]?: string;
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  provider?: string;
  choices: ChunkChoice[];
  /** Cumulative usage so far, when the upstream reports it; the gateway keeps the last one. */
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [extra: string]: unknown;
}

export interface CompletionChoice {
  index: number;
  text: string;
  finish_reason: FinishReason | null;
  logprobs: unknown | null;
}

export interface TextCompletion {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  provider?: string;
  choices: CompletionChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [extra: string]: unknown;
}
