import type { Cancel } from "../core/cancel.js";
import type { CatalogModel, CatalogRoute } from "../catalog/catalog-model.js";
import type { Transport } from "../http/transport.js";
import type { ChatRequest } from "../schemas/chat-request-schema.js";
import type { ChatCompletion, ChatCompletionChunk, TextCompletion } from "../schemas/chat-response.js";
import type { CompletionRequest } from "../schemas/completion-request-schema.js";

/** What every provider call gets besides its request: injected I/O and limits. */
export interface ProviderContext {
  transport: Transport;
  /** Aborts when the attempt is given up (the caller left, a deadline, a lost hedge). */
  signal: AbortSignal;
  /**
   * The gateway's own cancellation for the attempt, set on the contexts it
   * makes: upstream requests carry it to the transport, and `signal` is
   * then made only when something reads it.
   */
  cancel?: Cancel;
  requestId: string;
  now(): number;
  /** First byte (headers) and idle-gap limits for this attempt, ms (undefined: none). */
  firstByteMs?: number;
  idleMs?: number;
  /** Report a parameter (or part of one) this provider cannot honour (DESIGN convention 6). */
  warn(param: string, reason: string): void;
}

export interface ChatCall {
  /** The caller's validated request; `model` is already the upstream model name. */
  request: ChatRequest;
  model: CatalogModel;
  route: CatalogRoute;
}

export interface CompletionCall {
  request: CompletionRequest;
  model: CatalogModel;
  route: CatalogRoute;
}

/** Upstream headers worth relaying to the caller (rate limits, request ids). */
export type RelayHeaders = Record<string, string>;

export interface ChatResult {
  completion: ChatCompletion;
  headers: RelayHeaders;
}

/**
 * Stream items: one chunk, or a batch of chunks that arrived together (one
 * upstream read), which the gateway then writes in one go.
 */
export type StreamItem<T> = T | T[];

export interface ChatStreamResult {
  /**
   * OpenAI-format chunks. `usage` may appear on any chunk and is cumulative
   * (the gateway keeps the last one, never sums). Errors after the first
   * chunk are thrown from the iterator as GatewayErrors. Never an empty batch.
   */
  chunks: AsyncIterable<StreamItem<ChatCompletionChunk>>;
  headers: RelayHeaders;
}

export interface CompletionResult {
  completion: TextCompletion;
  headers: RelayHeaders;
}

export interface CompletionStreamResult {
  chunks: AsyncIterable<StreamItem<TextCompletion>>;
  headers: RelayHeaders;
}

export interface EmbeddingsCall {
  request: { input: string | string[] | number[] | number[][]; dimensions?: number; encoding_format?: "float" | "base64"; user?: string; [k: string]: unknown };
  model: CatalogModel;
  route: CatalogRoute;
}

export interface EmbeddingsResult {
  response: {
    object: "list";
    data: Array<{ object: "embedding"; index: number; embedding: number[] | string }>;
    model: string;
    usage: { prompt_tokens: number; total_tokens: number };
  };
  headers: RelayHeaders;
}

/**
 * A provider speaks one upstream API and translates it to and from the
 * OpenAI format. It throws GatewayErrors whose `upstream.kind` drives the
 * fallback decision.
 */
export interface Provider {
  readonly name: string;
  readonly type: string;
  /** Chat request parameters this provider honours (see capability tables). */
  readonly capabilities: ReadonlySet<string>;
  chat(call: ChatCall, ctx: ProviderContext): Promise<ChatResult>;
  chatStream(call: ChatCall, ctx: ProviderContext): Promise<ChatStreamResult>;
  /** Native legacy completions; absent means the gateway translates to chat. */
  completion?(call: CompletionCall, ctx: ProviderContext): Promise<CompletionResult>;
  completionStream?(call: CompletionCall, ctx: ProviderContext): Promise<CompletionStreamResult>;
  embeddings?(call: EmbeddingsCall, ctx: ProviderContext): Promise<EmbeddingsResult>;
}
