import type { ChatCompletionChunk, Usage } from "../schemas/chat-response.js";

/** Identity of the answer as the caller sees it. */
export interface StreamIdentity {
  id: string;
  model: string;
  provider: string;
  created: number;
}

/**
 * How a stream of OpenAI chat chunks is written to the caller: as chat
 * chunks (the default), as legacy text completions, or as Anthropic events.
 * Each method returns whole SSE frames ("" for nothing).
 */
export interface ChunkFormatter {
  /** A content chunk (usage already removed). */
  chunk(chunk: ChatCompletionChunk, who: StreamIdentity): string;
  /** The end of a stream that completed, with its final usage. */
  end(usage: Usage, who: StreamIdentity): string;
  /** The end of a stream that failed after it started. */
  fail(error: unknown, usage: Usage | null, who: StreamIdentity | null): string;
}
