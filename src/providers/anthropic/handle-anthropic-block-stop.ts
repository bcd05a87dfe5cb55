import type { ChatCompletionChunk } from "../../schemas/chat-response.js";
import type { AnthropicStreamState } from "./create-anthropic-stream-state.js";
import { convertAnthropicCitation } from "./convert-anthropic-citation.js";

/**
 * `content_block_stop`. A tool call whose input never streamed (no
 * input_json_delta, or only "") still has to end as valid JSON: `{}`, or
 * the input sent whole in content_block_start (vercel/ai #2103). A text
 * block's citations are emitted now that their range is known.
 */
export function handleAnthropicBlockStop(state: AnthropicStreamState, index: number): ChatCompletionChunk[] {
  const block = state.blocks.get(index);
  if (!block || block.streamed) return citations(state, index);
  if (block.kind === "tool") {
    return [state.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: wholeInput(block.input) } }] })];
  }
  if (block.kind === "json") {
    const json = wholeInput(block.input);
    state.contentLength += json.length;
    return [state.chunk({ content: json })];
  }
  return citations(state, index);
}

function wholeInput(input: unknown): string {
  return input !== null && typeof input === "object" ? JSON.stringify(input) : "{}";
}

function citations(state: AnthropicStreamState, index: number): ChatCompletionChunk[] {
  const block = state.blocks.get(index);
  if (!block || block.kind !== "text" || block.citations.length === 0 || state.plan.responseToolName !== undefined) return [];
  const annotations: unknown[] = [];
  const other: unknown[] = [];
  for (const citation of block.citations) {
    const annotation = convertAnthropicCitation(citation, block.textStart, state.contentLength);
    if (annotation) annotations.push(annotation);
    else other.push({ ...citation, start_index: block.textStart, end_index: state.contentLength });
  }
  const delta: Record<string, unknown> = {};
  if (annotations.length > 0) delta.annotations = annotations;
  if (other.length > 0) delta.citations = other;
  return [state.chunk(delta)];
}
