/**
 * The slice of the Anthropic Messages API this provider speaks
 * (https://docs.anthropic.com/en/api/messages, and the Stainless spec in
 * ../shared/spec/anthropic-openapi.yml). Types only: upstream payloads are
 * checked at the boundary where they are read, not trusted from these.
 */

export interface AnthropicCacheControl {
  type: string;
  [extra: string]: unknown;
}

export interface AnthropicTextBlock {
  type: "text";
  text: string;
  citations?: AnthropicCitation[] | null;
  cache_control?: AnthropicCacheControl;
}

export type AnthropicSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "url"; url: string }
  | { type: "text"; media_type: "text/plain"; data: string };

export interface AnthropicImageBlock {
  type: "image";
  source: AnthropicSource;
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicDocumentBlock {
  type: "document";
  source: AnthropicSource;
  title?: string;
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface AnthropicToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content: string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock>;
  is_error?: boolean;
}

export interface AnthropicThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: "redacted_thinking";
  data: string;
}

/** A block inside a user turn's content that came from a caller's content part. */
export type AnthropicMediaBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock;

export type AnthropicRequestBlock =
  | AnthropicMediaBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: AnthropicRequestBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

export type AnthropicToolChoice =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export interface AnthropicThinkingConfig {
  type: "enabled";
  budget_tokens: number;
}

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: AnthropicTextBlock[];
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinkingConfig;
  metadata?: { user_id: string };
  stream?: boolean;
}

/** Citation objects on text blocks; the `*_location` variants differ in fields. */
export interface AnthropicCitation {
  type: string;
  cited_text?: string;
  url?: string;
  title?: string | null;
  source?: string;
  [extra: string]: unknown;
}

/** Response content blocks; server tool blocks (web search, ...) are typed loosely. */
export type AnthropicResponseBlock =
  | AnthropicTextBlock
  | AnthropicToolUseBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | { type: string; [extra: string]: unknown };

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  [extra: string]: unknown;
}

export interface AnthropicStopDetails {
  type?: string;
  explanation?: string;
  [extra: string]: unknown;
}

export interface AnthropicResponse {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: string | null;
  stop_sequence?: string | null;
  stop_details?: AnthropicStopDetails | null;
  usage: AnthropicUsage;
}

/** Streaming event payloads (https://docs.anthropic.com/en/docs/build-with-claude/streaming). */
export type AnthropicStreamEvent =
  | { type: "message_start"; message: AnthropicResponse }
  | { type: "content_block_start"; index: number; content_block: AnthropicResponseBlock }
  | { type: "content_block_delta"; index: number; delta: AnthropicBlockDelta }
  | { type: "content_block_stop"; index: number }
  | {
      type: "message_delta";
      delta: { stop_reason?: string | null; stop_sequence?: string | null; stop_details?: AnthropicStopDetails | null };
      usage?: AnthropicUsage;
    }
  | { type: "message_stop" }
  | { type: "ping" }
  | { type: "error"; error: { type: string; message: string } };

export type AnthropicBlockDelta =
  | { type: "text_delta"; text: string }
  | { type: "input_json_delta"; partial_json: string }
  | { type: "thinking_delta"; thinking: string }
  | { type: "signature_delta"; signature: string }
  | { type: "citations_delta"; citation: AnthropicCitation };

/** What the request conversion decided that the answer conversion must know. */
export interface AnthropicCallPlan {
  /** Name of the forced tool standing in for response_format, if any. */
  responseToolName?: string;
  /** reasoning.exclude: think, but do not return the reasoning. */
  excludeReasoning: boolean;
}

/** `format` tag on reasoning_details so they can be recognised when sent back. */
export const ANTHROPIC_REASONING_FORMAT = "anthropic-claude-v1";
