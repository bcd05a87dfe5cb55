import type { AnthropicRedactedThinkingBlock, AnthropicThinkingBlock } from "./anthropic-types.js";
import { ANTHROPIC_REASONING_FORMAT } from "./anthropic-types.js";

type Warn = (param: string, reason: string) => void;
type Detail = { type: string; [k: string]: unknown };

/**
 * Turns an assistant message's `reasoning_details` back into thinking
 * blocks. Anthropic requires the thinking blocks of the last assistant turn
 * to be sent back unchanged, with their signatures, when tools are used with
 * extended thinking (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks).
 * Streamed details arrive as fragments sharing an `index`: they are joined first.
 */
export function convertAnthropicReasoningDetails(
  details: Detail[],
  param: string,
  warn: Warn,
): Array<AnthropicThinkingBlock | AnthropicRedactedThinkingBlock> {
  const blocks: Array<AnthropicThinkingBlock | AnthropicRedactedThinkingBlock> = [];
  for (const detail of joinFragments(details)) {
    if (detail.format !== undefined && detail.format !== ANTHROPIC_REASONING_FORMAT) {
      // Another provider's signature would be rejected by Anthropic.
      warn(param, `reasoning_details in format ${String(detail.format)} cannot be sent to Anthropic; they were dropped`);
      continue;
    }
    if (detail.type === "reasoning.encrypted" && typeof detail.data === "string") {
      blocks.push({ type: "redacted_thinking", data: detail.data });
    } else if (detail.type === "reasoning.text" && typeof detail.signature === "string" && detail.signature.length > 0) {
      blocks.push({ type: "thinking", thinking: typeof detail.text === "string" ? detail.text : "", signature: detail.signature });
    } else if (detail.type === "reasoning.text") {
      warn(param, "reasoning without a signature cannot be sent back to Anthropic; it was dropped");
    }
  }
  return blocks;
}

function joinFragments(details: Detail[]): Detail[] {
  const out: Detail[] = [];
  const byIndex = new Map<number, Detail>();
  for (const detail of details) {
    const index = typeof detail.index === "number" ? detail.index : undefined;
    const prev = index === undefined ? undefined : byIndex.get(index);
    if (!prev || prev.type !== detail.type) {
      const copy = { ...detail };
      out.push(copy);
      if (index !== undefined) byIndex.set(index, copy);
      continue;
    }
    if (typeof detail.text === "string") prev.text = `${typeof prev.text === "string" ? prev.text : ""}${detail.text}`;
    if (typeof detail.signature === "string" && detail.signature.length > 0) prev.signature = detail.signature;
    if (typeof detail.data === "string") prev.data = `${typeof prev.data === "string" ? prev.data : ""}${detail.data}`;
  }
  return out;
}
