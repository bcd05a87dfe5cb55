import type { ReasoningDetail, ToolCall } from "../../schemas/chat-response.js";
import type { AnthropicCallPlan, AnthropicCitation, AnthropicResponseBlock } from "./anthropic-types.js";
import { ANTHROPIC_REASONING_FORMAT } from "./anthropic-types.js";
import { convertAnthropicCitation, type UrlCitationAnnotation } from "./convert-anthropic-citation.js";

export interface ConvertedAnthropicContent {
  text: string;
  hasText: boolean;
  toolCalls: ToolCall[];
  /** The response_format tool's input, as JSON text, when the model answered through it. */
  json?: string;
  reasoning: string;
  reasoningDetails: ReasoningDetail[];
  annotations: UrlCitationAnnotation[];
  /** Citations without a URL (document locations), kept as Anthropic sent them. */
  citations: Array<AnthropicCitation & { start_index: number; end_index: number }>;
}

/**
 * Walks a message's content blocks in order. Server tool blocks
 * (`server_tool_use`, `web_search_tool_result`, ...) were run by Anthropic,
 * not by the caller, so they are not tool calls; their outcome reaches the
 * caller as text and citations.
 */
export function convertAnthropicContent(blocks: AnthropicResponseBlock[], plan: AnthropicCallPlan): ConvertedAnthropicContent {
  const out: ConvertedAnthropicContent = { text: "", hasText: false, toolCalls: [], reasoning: "", reasoningDetails: [], annotations: [], citations: [] };
  for (const block of blocks) {
    if (isBlock(block, "text")) addText(out, block.text, block.citations);
    else if (isBlock(block, "tool_use")) addToolUse(out, block, plan);
    else if (isBlock(block, "thinking")) addThinking(out, block);
    else if (isBlock(block, "redacted_thinking")) {
      out.reasoningDetails.push({ type: "reasoning.encrypted", data: block.data, format: ANTHROPIC_REASONING_FORMAT, index: out.reasoningDetails.length });
    }
  }
  return out;
}

type Known = {
  text: { type: "text"; text: string; citations?: AnthropicCitation[] | null };
  tool_use: { type: "tool_use"; id: string; name: string; input: unknown };
  thinking: { type: "thinking"; thinking: string; signature?: string };
  redacted_thinking: { type: "redacted_thinking"; data: string };
};

function isBlock<K extends keyof Known>(block: AnthropicResponseBlock, type: K): block is AnthropicResponseBlock & Known[K] {
  return block.type === type;
}

function addText(out: ConvertedAnthropicContent, text: string, citations: AnthropicCitation[] | null | undefined): void {
  const start = out.text.length;
  out.text += text;
  out.hasText = true;
  for (const citation of citations ?? []) {
    const annotation = convertAnthropicCitation(citation, start, out.text.length);
    if (annotation) out.annotations.push(annotation);
    else out.citations.push({ ...citation, start_index: start, end_index: out.text.length });
  }
}

function addToolUse(out: ConvertedAnthropicContent, block: Known["tool_use"], plan: AnthropicCallPlan): void {
  // `{}` for a tool without input, never "" (anomalyco/opencode #24137).
  const args = JSON.stringify(block.input ?? {});
  if (plan.responseToolName !== undefined && block.name === plan.responseToolName) out.json = args;
  else out.toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: args } });
}

function addThinking(out: ConvertedAnthropicContent, block: Known["thinking"]): void {
  out.reasoning += block.thinking;
  out.reasoningDetails.push({
    type: "reasoning.text",
    text: block.thinking,
    signature: block.signature ?? null,
    format: ANTHROPIC_REASONING_FORMAT,
    index: out.reasoningDetails.length,
  });
}
